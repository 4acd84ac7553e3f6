DROP TABLE import_uploads;
DROP TABLE import_column_mappings;
