//! A tenant's time zone and the day boundaries computed in it. Every "today", every
//! "from this day to that day" and every "N months later, at the start of the day" goes
//! through `Zone`, so that a Jakarta tenant's day runs from 00:00 to 24:00 in Jakarta,
//! whatever the server's clock or UTC says. Zones and their DST rules come from chrono-tz
//! (the IANA database), never from hand-written offsets.

use chrono::{DateTime, Duration, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::values::ErrorKey;

/// An IANA time zone (`Europe/Paris`, `Asia/Jakarta`, `UTC`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(Tz::UTC)
    }
}

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// A zone by its IANA name, exactly as the database spells it (`Europe/Paris`).
    pub fn parse(input: &str) -> Result<Zone, ErrorKey> {
        let s = input.trim();
        if s.is_empty() {
            return Err("error-required");
        }
        s.parse::<Tz>()
            .map(Zone)
            .map_err(|_| "error-time-zone-unknown")
    }

    /// A stored name; an unknown one (never written by the application) reads as UTC.
    pub fn from_stored(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_default()
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// Every zone of the IANA database, by name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The local calendar day of an instant.
    pub fn date_of(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// Today, in this zone.
    pub fn today(self, now: DateTime<Utc>) -> NaiveDate {
        self.date_of(now)
    }

    /// The first instant of a local day. Where a DST change skips midnight (clocks go
    /// from 23:59:59 to 01:00, as in Havana or Santiago), the day starts at the first
    /// local time that exists; where midnight happens twice, at the first of them.
    pub fn day_start(self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(NaiveTime::MIN);
        match self.0.from_local_datetime(&midnight) {
            LocalResult::Single(at) => at.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            LocalResult::None => {
                // In a gap: read midnight with the offset in force just before it, which
                // lands on the instant the clocks jumped, the first that exists.
                let before = self
                    .0
                    .offset_from_utc_datetime(&(midnight - Duration::days(1)));
                let offset = chrono::Offset::fix(&before);
                Utc.from_utc_datetime(&(midnight - offset))
            }
        }
    }

    /// `[start of from, start of the day after until)`: whole local days, either end open.
    pub fn days(
        self,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            from.map(|d| self.day_start(d)),
            until.and_then(|d| d.succ_opt()).map(|d| self.day_start(d)),
        )
    }

    /// The local day of `at` as `[start, end)` in UTC.
    pub fn day_of(self, at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let day = self.date_of(at);
        let next = day.succ_opt().unwrap_or(day);
        (self.day_start(day), self.day_start(next))
    }

    /// The start of the local day `months` calendar months after the local day of `at`
    /// (31 January + 1 month = 28 or 29 February).
    pub fn months_later(self, at: DateTime<Utc>, months: u32) -> Option<DateTime<Utc>> {
        self.date_of(at)
            .checked_add_months(Months::new(months))
            .map(|d| self.day_start(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn zones_are_validated_against_the_iana_list() {
        assert_eq!(Zone::parse("Europe/Paris").unwrap().name(), "Europe/Paris");
        assert_eq!(
            Zone::parse(" Asia/Jakarta ").unwrap().name(),
            "Asia/Jakarta"
        );
        assert_eq!(Zone::parse("UTC").unwrap(), Zone::UTC);
        assert_eq!(Zone::parse("Mars/Olympus"), Err("error-time-zone-unknown"));
        assert_eq!(Zone::parse("+07:00"), Err("error-time-zone-unknown"));
        assert_eq!(
            Zone::parse("Asia/Jakarta\0"),
            Err("error-time-zone-unknown")
        );
        assert_eq!(Zone::parse(""), Err("error-required"));
        assert_eq!(Zone::from_stored("nonsense"), Zone::UTC);
        assert!(Zone::all_names().any(|n| n == "America/Havana"));
    }

    #[test]
    fn half_past_eleven_in_jakarta_is_still_that_day() {
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        // 23:30 on 1 December in Jakarta (UTC+7) is 16:30 UTC the same day…
        let at = utc("2026-12-01T16:30:00Z");
        assert_eq!(jakarta.today(at), day("2026-12-01"));
        // …and 00:30 on 2 December in Jakarta is still 1 December in UTC.
        let after = utc("2026-12-01T17:30:00Z");
        assert_eq!(jakarta.today(after), day("2026-12-02"));
        assert_eq!(after.date_naive(), day("2026-12-01"));
        let (start, end) = jakarta.day_of(at);
        assert_eq!(start, utc("2026-11-30T17:00:00Z"));
        assert_eq!(end, utc("2026-12-01T17:00:00Z"));
    }

    #[test]
    fn paris_days_follow_daylight_saving_time() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            paris.day_start(day("2026-01-15")),
            utc("2026-01-14T23:00:00Z")
        );
        assert_eq!(
            paris.day_start(day("2026-07-15")),
            utc("2026-07-14T22:00:00Z")
        );
        // The day the clocks go forward (29 March 2026) lasts 23 hours…
        let (start, end) = paris.days(Some(day("2026-03-29")), Some(day("2026-03-29")));
        assert_eq!(end.unwrap() - start.unwrap(), Duration::hours(23));
        // …and the day they go back (25 October 2026) lasts 25.
        let (start, end) = paris.days(Some(day("2026-10-25")), Some(day("2026-10-25")));
        assert_eq!(end.unwrap() - start.unwrap(), Duration::hours(25));
        // 00:30 local on the night of the change is already the new day.
        assert_eq!(paris.today(utc("2026-03-28T23:30:00Z")), day("2026-03-29"));
    }

    #[test]
    fn a_day_whose_midnight_does_not_exist_starts_when_the_clocks_jump() {
        // Havana moves from UTC-5 to UTC-4 at midnight: 8 March 2026 starts at 01:00.
        let havana = Zone::parse("America/Havana").unwrap();
        let start = havana.day_start(day("2026-03-08"));
        assert_eq!(start, utc("2026-03-08T05:00:00Z"));
        assert_eq!(havana.date_of(start), day("2026-03-08"));
        assert_eq!(
            havana.date_of(start - Duration::seconds(1)),
            day("2026-03-07")
        );
    }

    #[test]
    fn expiry_counts_calendar_months_in_the_zone() {
        let jakarta = Zone::parse("Asia/Jakarta").unwrap();
        // Earned at 23:30 on 31 January in Jakarta (16:30 UTC): a month later is the
        // start of 28 February in Jakarta.
        let earned = utc("2026-01-31T16:30:00Z");
        assert_eq!(
            jakarta.months_later(earned, 1),
            Some(utc("2026-02-27T17:00:00Z"))
        );
        // In UTC the same instant is the 31st too; at 00:30 Jakarta it is 1 February.
        let later = utc("2026-01-31T17:30:00Z");
        assert_eq!(
            jakarta.months_later(later, 12),
            Some(utc("2027-01-31T17:00:00Z"))
        );
    }
}
