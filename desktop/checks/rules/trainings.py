"""Rules on training (培训) records."""

from desktop.checks.registry import ERROR, WARNING, Hit, rule


def _hit(training, field, message):
    return Hit("training", training.id, training.title, field, message)


@rule("R01", ERROR, "培训", "培训期数或人次不合理")
def counts_valid(data):
    for training in data.trainings:
        if training.sessions < 1:
            yield _hit(training, "sessions", "培训期数至少为1")
        if training.attendances < 0:
            yield _hit(training, "attendances", "培训人次不能为负数")


@rule("R02", ERROR, "培训", "培训日期不合理")
def dates_valid(data):
    for training in data.trainings:
        if training.end_date < training.start_date:
            yield _hit(training, "end_date", "结束日期早于开始日期")
        elif training.start_date.year != data.year:
            yield _hit(
                training, "start_date", f"开始日期{training.start_date:%Y.%m.%d}不在{data.year}年度"
            )


@rule("R03", WARNING, "培训", "培训人次少于登记的参训人数")
def attendances_cover_attendees(data):
    for training in data.trainings:
        attendees = data.attendee_counts.get(training.id, 0)
        if training.attendances < attendees:
            yield _hit(
                training,
                "attendances",
                f"培训人次{training.attendances}少于登记的参训人员{attendees}人",
            )
