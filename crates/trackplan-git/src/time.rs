//! Commit dates as calendar dates, in the committer's own time zone (as `git log` shows them).

/// The calendar date and time of a Unix timestamp shifted by a UTC offset in minutes:
/// `(year, month, day, hour, minute, second)`.
pub fn civil_date(seconds: i64, offset_minutes: i32) -> (i64, u32, u32, u32, u32, u32) {
    let local = seconds + i64::from(offset_minutes) * 60;
    let day = trackplan_core::Date::from_days_since_epoch(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    (
        i64::from(day.year),
        u32::from(day.month),
        u32::from(day.day),
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// `2024-03-02`.
pub fn date(seconds: i64, offset_minutes: i32) -> String {
    let (y, m, d, ..) = civil_date(seconds, offset_minutes);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2024-03-02T10:04:05+01:00` (RFC 3339).
pub fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let (y, mo, d, h, mi, s) = civil_date(seconds, offset_minutes);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
        offset / 60,
        offset % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0, 0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(rfc3339(1_709_373_845, 60), "2024-03-02T11:04:05+01:00");
        assert_eq!(date(1_709_337_600, -60), "2024-03-01");
        assert_eq!(rfc3339(951_782_400, -330), "2000-02-28T18:30:00-05:30");
    }
}
