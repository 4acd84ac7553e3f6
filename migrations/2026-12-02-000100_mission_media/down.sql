DROP TABLE mission_video_watches;
DROP TABLE mission_photos;
DROP INDEX mission_attempts_review_idx;
ALTER TABLE mission_attempts
    DROP COLUMN review_reason,
    DROP COLUMN reviewed_by,
    DROP COLUMN reviewed_at;
ALTER TABLE mission_attempts ADD CHECK ((submitted_at IS NULL) = (passed IS NULL));
DROP TABLE mission_video_rules;
DROP TABLE mission_photo_rules;
DROP TABLE media;
