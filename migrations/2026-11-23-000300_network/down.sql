DROP TABLE segment_partners;
DROP TABLE segments;
DROP TABLE products;
DROP INDEX users_partner_idx;
ALTER TABLE users DROP CONSTRAINT users_partner_fkey;
ALTER TABLE users DROP COLUMN partner_id;
DROP TABLE partners;
