DROP TABLE reward_codes;
DROP TABLE reward_order_lines;
DROP TABLE reward_orders;
DROP TABLE reward_wishes;
DROP TABLE delivery_addresses;
DROP TABLE order_rules;
DROP TABLE reward_images;
DROP TABLE reward_segments;
DROP TABLE reward_categories;
DROP TABLE rewards;
DELETE FROM import_column_mappings WHERE kind = 'rewards';
ALTER TABLE import_column_mappings DROP CONSTRAINT import_column_mappings_kind_check,
    ADD CONSTRAINT import_column_mappings_kind_check CHECK (kind IN ('partners',
        'participants', 'products', 'sell_in', 'opening_stock', 'sell_out'));
