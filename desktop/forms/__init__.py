"""Form logic without Qt: turning what the clerk typed into stored values, with a Chinese
message per field for anything wrong."""
