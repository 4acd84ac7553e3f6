DROP TABLE mission_completions;
DROP TABLE mission_answers;
DROP TABLE mission_attempts;
DROP TABLE mission_options;
DROP TABLE mission_questions;
DROP TABLE mission_segments;
DROP TABLE mission_quiz_rules;
DROP TABLE missions;
