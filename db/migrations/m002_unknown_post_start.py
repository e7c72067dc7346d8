"""Migration 2: a post's start date may be unknown (NULL) — an imported roster without
任现职时间 no longer gets an invented 1 January. Frozen: SQLite cannot drop NOT NULL, so the
table is rebuilt with the same columns, rows, ids and indexes."""

STATEMENTS = [
    'CREATE TABLE "appointment_v2" ("id" INTEGER NOT NULL PRIMARY KEY, "cadre_id" INTEGER NOT NULL, "post" VARCHAR(2) NOT NULL, "village_id" INTEGER, "organization_id" INTEGER, "start_date" DATE, "end_date" DATE, "sending_unit" VARCHAR(255) NOT NULL, "sending_unit_post" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, FOREIGN KEY ("cadre_id") REFERENCES "cadre" ("id") ON DELETE CASCADE, FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE SET NULL, FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE SET NULL)',
    'INSERT INTO "appointment_v2" ("id", "cadre_id", "post", "village_id", "organization_id", "start_date", "end_date", "sending_unit", "sending_unit_post", "notes") SELECT "id", "cadre_id", "post", "village_id", "organization_id", "start_date", "end_date", "sending_unit", "sending_unit_post", "notes" FROM "appointment"',
    'DROP TABLE "appointment"',
    'ALTER TABLE "appointment_v2" RENAME TO "appointment"',
    'CREATE INDEX "appointment_cadre_id" ON "appointment" ("cadre_id")',
    'CREATE INDEX "appointment_village_id" ON "appointment" ("village_id")',
    'CREATE INDEX "appointment_organization_id" ON "appointment" ("organization_id")',
]


def apply(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
