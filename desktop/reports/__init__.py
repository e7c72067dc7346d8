"""The county report workbook: sheet specs from resources/reports, one writer, the export."""
