//! Missions: their vocabularies, the completion limit made concrete (periods), quiz
//! scoring and the per-attempt shuffle of options. No I/O.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{OptionId, QuestionId};
use super::time::Zone;

vocabulary!(
    /// What the participant does: answer a quiz or a survey, send photos (reviewed by an
    /// admin), watch a video (then pass its follow-up quiz, if it has questions).
    MissionKind { Quiz => "quiz", Survey => "survey", Photo => "photo", Video => "video" }
);

impl MissionKind {
    /// The question kinds this mission kind takes (a video's questions are its
    /// follow-up quiz).
    pub fn question_kinds(self) -> &'static [QuestionKind] {
        match self {
            MissionKind::Quiz | MissionKind::Video => {
                &[QuestionKind::Single, QuestionKind::Multiple]
            }
            MissionKind::Survey => QuestionKind::ALL,
            MissionKind::Photo => &[],
        }
    }

    /// Whether its answers are scored against a pass mark.
    pub fn is_scored(self) -> bool {
        matches!(self, MissionKind::Quiz | MissionKind::Video)
    }

    /// The files a mission of this kind shows.
    pub fn media_roles(self) -> &'static [MediaRole] {
        match self {
            MissionKind::Photo => &[MediaRole::Cover, MediaRole::Example],
            MissionKind::Video => &[MediaRole::Cover, MediaRole::Video],
            MissionKind::Quiz | MissionKind::Survey => &[MediaRole::Cover],
        }
    }
}

vocabulary!(
    /// A mission's files: a cover image (every kind), the example image of a photo
    /// mission, the video of a video mission.
    MediaRole { Cover => "cover", Example => "example", Video => "video" }
);

/// Photos a photo mission can ask for, and a submission can carry.
pub const MAX_PHOTOS: i16 = 5;

/// The share of a video that must be seen, and of its duration that must have passed
/// since the start, for it to count as watched.
pub const WATCH_SHARE_PERCENT: i64 = 90;

/// Marks the seconds `[from, to)` of a video as seen in a bitmap (bit i = second i).
/// Refused when the range is not within `[0, duration]` (a second of slack for
/// rounding) or is backwards: a report claiming more than the video holds is false.
pub fn mark_seen(
    seen: &mut Vec<u8>,
    duration: i32,
    from: f64,
    to: f64,
) -> Result<(), crate::domain::values::ErrorKey> {
    let limit = f64::from(duration) + 1.0;
    if !(from.is_finite() && to.is_finite()) || from < 0.0 || to < from || to > limit {
        return Err("error-video-progress");
    }
    let bytes = usize::try_from(duration).unwrap_or(0).div_ceil(8);
    seen.resize(bytes.max(seen.len()), 0);
    // Whole seconds fully inside the range (a partial second is not seen).
    let first = from.ceil() as i64;
    let last = (to.floor() as i64).min(i64::from(duration));
    for second in first..last {
        let i = usize::try_from(second).unwrap_or(0);
        if let Some(byte) = seen.get_mut(i / 8) {
            *byte |= 1 << (i % 8);
        }
    }
    Ok(())
}

/// Seconds marked seen.
pub fn seconds_seen(seen: &[u8]) -> i64 {
    seen.iter().map(|b| i64::from(b.count_ones())).sum()
}

/// Watched: 90 % of the seconds seen, and at least 90 % of the duration gone by since
/// the start (so skipping ahead, or forged reports, complete nothing sooner).
pub fn is_watched(seen: &[u8], duration: i32, started: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let needed = i64::from(duration) * WATCH_SHARE_PERCENT / 100;
    let needed_ms = i64::from(duration) * 1000 * WATCH_SHARE_PERCENT / 100;
    seconds_seen(seen) >= needed.max(1) && (now - started).num_milliseconds() >= needed_ms
}

vocabulary!(
    /// draft → published ⇄ archived (a draft can be archived too). Only drafts change the rules
    /// that decide points.
    MissionStatus { Draft => "draft", Published => "published", Archived => "archived" }
);

impl MissionStatus {
    pub fn can_become(self, to: MissionStatus) -> bool {
        use MissionStatus::*;
        matches!(
            (self, to),
            (Draft, Published) | (Draft, Archived) | (Published, Archived) | (Archived, Published)
        )
    }
}

vocabulary!(
    /// How many times a participant can complete a mission.
    CompletionLimit { Once => "once", Times => "times", Weekly => "weekly", Monthly => "monthly" }
);

vocabulary!(
    /// Quizzes take single and multiple choice; surveys every kind.
    QuestionKind {
        Single => "single",
        Multiple => "multiple",
        ShortText => "short_text",
        LongText => "long_text",
        Rating => "rating",
    }
);

impl QuestionKind {
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}

/// Most options a choice question has; fewer than 2 is no choice.
pub const MAX_OPTIONS: usize = 8;
/// Most questions a mission has.
pub const MAX_QUESTIONS: usize = 50;

/// The completion a participant's next success would count as, given the periods of
/// their completions so far; `None` when the limit is reached. Weeks (ISO, Monday
/// first) and months are the tenant's.
pub fn next_period(
    limit: CompletionLimit,
    max_completions: Option<i32>,
    completed: &[String],
    now: DateTime<Utc>,
    zone: Zone,
) -> Option<String> {
    let candidate = match limit {
        CompletionLimit::Once => "once".to_string(),
        CompletionLimit::Times => {
            let max = usize::try_from(max_completions.unwrap_or(1)).unwrap_or(1);
            if completed.len() >= max {
                return None;
            }
            (completed.len() + 1).to_string()
        }
        CompletionLimit::Weekly => {
            let week = zone.date_of(now).iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        CompletionLimit::Monthly => {
            let day = zone.date_of(now);
            format!("{}-{:02}", day.year(), day.month())
        }
    };
    (!completed.contains(&candidate)).then_some(candidate)
}

/// A quiz question as scored: the set of its correct options.
pub struct Key {
    pub question: QuestionId,
    pub correct: BTreeSet<OptionId>,
}

/// An attempt's score: whether each question was right, and the percentage right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub right: BTreeMap<QuestionId, bool>,
    pub percent: i32,
}

impl Score {
    pub fn passes(&self, pass_mark: i32) -> bool {
        self.percent >= pass_mark
    }
}

/// A question is right when exactly its correct options were chosen; the percentage is
/// rounded down, so a pass mark is never reached by rounding.
pub fn score(keys: &[Key], chosen: &BTreeMap<QuestionId, BTreeSet<OptionId>>) -> Score {
    let right: BTreeMap<QuestionId, bool> = keys
        .iter()
        .map(|k| {
            let answer = chosen.get(&k.question);
            (k.question, answer.is_some_and(|a| *a == k.correct))
        })
        .collect();
    let total = right.len();
    let good = right.values().filter(|r| **r).count();
    let percent = (good * 100).checked_div(total).unwrap_or(0);
    Score {
        right,
        percent: i32::try_from(percent).unwrap_or(0),
    }
}

/// splitmix64: a well-mixed hash of a seed and a value, enough to shuffle options.
fn mix(seed: i64, value: i64) -> u64 {
    let mut z = (seed as u64) ^ (value as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The options in this attempt's order: the same for the same seed (the page reloaded),
/// another for the next attempt.
pub fn shuffled(options: &[OptionId], seed: i64) -> Vec<OptionId> {
    let mut out = options.to_vec();
    out.sort_by_key(|o| (mix(seed, o.0), o.0));
    out
}

/// Whether the window `[starts, ends)` holds `now`.
pub fn is_open(starts: DateTime<Utc>, ends: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts <= now && now < ends
}

/// A few seconds for the page to travel after the last second of a time limit.
pub const TIME_LIMIT_GRACE_SECONDS: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn periods_make_the_completion_limit_concrete() {
        let now = at(2026, 11, 30, 12);
        let z = Zone::UTC;
        assert_eq!(
            next_period(CompletionLimit::Once, None, &[], now, z).as_deref(),
            Some("once")
        );
        assert_eq!(
            next_period(CompletionLimit::Once, None, &["once".into()], now, z),
            None
        );
        let two = vec!["1".to_string()];
        assert_eq!(
            next_period(CompletionLimit::Times, Some(2), &two, now, z).as_deref(),
            Some("2")
        );
        let both = vec!["1".to_string(), "2".to_string()];
        assert_eq!(
            next_period(CompletionLimit::Times, Some(2), &both, now, z),
            None
        );
        assert_eq!(
            next_period(CompletionLimit::Weekly, None, &[], now, z).as_deref(),
            Some("2026-W49")
        );
        assert_eq!(
            next_period(CompletionLimit::Weekly, None, &["2026-W49".into()], now, z),
            None
        );
        assert_eq!(
            next_period(CompletionLimit::Monthly, None, &["2026-10".into()], now, z).as_deref(),
            Some("2026-11")
        );
    }

    #[test]
    fn weeks_and_months_are_the_tenants() {
        // 30 Nov 23:30 UTC is already 1 December in Jakarta (UTC+7).
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        assert_eq!(
            next_period(CompletionLimit::Monthly, None, &[], now, jakarta).as_deref(),
            Some("2026-12")
        );
        assert_eq!(
            next_period(CompletionLimit::Monthly, None, &[], now, Zone::UTC).as_deref(),
            Some("2026-11")
        );
    }

    #[test]
    fn a_question_is_right_only_with_exactly_its_correct_options() {
        let (q1, q2) = (QuestionId(1), QuestionId(2));
        let keys = vec![
            Key {
                question: q1,
                correct: BTreeSet::from([OptionId(10)]),
            },
            Key {
                question: q2,
                correct: BTreeSet::from([OptionId(20), OptionId(21)]),
            },
        ];
        let mut chosen = BTreeMap::from([
            (q1, BTreeSet::from([OptionId(10)])),
            (q2, BTreeSet::from([OptionId(20)])),
        ]);
        let s = score(&keys, &chosen);
        assert_eq!(s.percent, 50);
        assert!(!s.right[&q2]);
        assert!(s.passes(50) && !s.passes(51));
        chosen.insert(
            q2,
            BTreeSet::from([OptionId(20), OptionId(21), OptionId(22)]),
        );
        assert_eq!(score(&keys, &chosen).percent, 50, "one too many is wrong");
        chosen.insert(q2, BTreeSet::from([OptionId(21), OptionId(20)]));
        assert_eq!(score(&keys, &chosen).percent, 100);
        assert_eq!(score(&keys, &BTreeMap::new()).percent, 0);
    }

    #[test]
    fn thirds_round_down() {
        let keys: Vec<Key> = (1..=3)
            .map(|i| Key {
                question: QuestionId(i),
                correct: BTreeSet::from([OptionId(i)]),
            })
            .collect();
        let chosen = BTreeMap::from([
            (QuestionId(1), BTreeSet::from([OptionId(1)])),
            (QuestionId(2), BTreeSet::from([OptionId(2)])),
        ]);
        assert_eq!(score(&keys, &chosen).percent, 66);
    }

    #[test]
    fn shuffles_are_stable_per_seed_and_differ_between_seeds() {
        let options: Vec<OptionId> = (1..=6).map(OptionId).collect();
        let a = shuffled(&options, 42);
        assert_eq!(a, shuffled(&options, 42));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, options, "a permutation");
        let orders: BTreeSet<Vec<OptionId>> = (0..20).map(|s| shuffled(&options, s)).collect();
        assert!(orders.len() > 10, "seeds give different orders");
    }

    #[test]
    fn a_video_counts_as_watched_only_when_seen_and_the_time_has_passed() {
        let start = at(2026, 11, 30, 12);
        let mut seen = vec![];
        assert!(
            mark_seen(&mut seen, 10, 0.0, 11.5).is_err(),
            "beyond the end"
        );
        assert!(mark_seen(&mut seen, 10, 5.0, 2.0).is_err(), "backwards");
        assert!(mark_seen(&mut seen, 10, f64::NAN, 2.0).is_err());
        // Skipping to the end sees the last second only.
        mark_seen(&mut seen, 10, 9.0, 10.0).unwrap();
        assert_eq!(seconds_seen(&seen), 1);
        let later = start + chrono::Duration::seconds(30);
        assert!(!is_watched(&seen, 10, start, later));
        // Overlapping reports count each second once.
        mark_seen(&mut seen, 10, 0.0, 5.4).unwrap();
        mark_seen(&mut seen, 10, 4.0, 9.2).unwrap();
        assert_eq!(seconds_seen(&seen), 10);
        assert!(is_watched(&seen, 10, start, later));
        // Seen, but too soon after the start: forged reports.
        let soon = start + chrono::Duration::seconds(5);
        assert!(!is_watched(&seen, 10, start, soon));
        assert!(is_watched(
            &seen,
            10,
            start,
            start + chrono::Duration::seconds(9)
        ));
    }

    #[test]
    fn status_moves() {
        use MissionStatus::*;
        assert!(Draft.can_become(Published));
        assert!(!Published.can_become(Draft));
        assert!(Archived.can_become(Published));
        assert!(Draft.can_become(Archived));
        assert!(!Archived.can_become(Draft));
    }
}
