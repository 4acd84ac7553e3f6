DROP TABLE news_segments;
DROP TABLE news_posts;
ALTER TABLE users DROP COLUMN anonymised_at;
ALTER TABLE users DROP COLUMN phone;
