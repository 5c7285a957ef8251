//! Dates as the index keeps them: `YYYY-MM-DD` strings, and days since 1970-01-01 for sorting
//! and ranges. Every reader converts its dates here: metadata and file names
//! ([`normalise_date`]: ISO, `DD-MM-YYYY`, `DD-MM-YY`), inventory cells (also Excel serial
//! numbers, [`excel_serial_to_iso`]), PDF info dates ([`pdf_date_to_iso`]) and the written
//! dates of decision letters ([`dutch_month_number`], [`iso_date`]).
//!
//! This module depends on nothing else in the crate.

/// Julian day number of 1970-01-01.
const JULIAN_DAY_OF_1970_01_01: i64 = 2_440_588;

/// Excel's serial day number of 1970-01-01.
const EXCEL_SERIAL_OF_1970_01_01: i64 = 25_569;

/// Converts `YYYY-MM-DD` to days since 1970-01-01.
pub fn date_to_days(date: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let parsed = time::Date::parse(date.get(..10)?, &format).ok()?;
    Some(i64::from(parsed.to_julian_day()) - JULIAN_DAY_OF_1970_01_01)
}

/// Days since 1970-01-01 back to `YYYY-MM-DD`; `None` outside the calendar's range.
pub fn days_to_iso(days: i64) -> Option<String> {
    let julian_day = i32::try_from(days + JULIAN_DAY_OF_1970_01_01).ok()?;
    let date = time::Date::from_julian_day(julian_day).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// `YYYY-MM-DD` of a day, month and year when that day exists (no 31 April, no 29 February
/// outside leap years).
pub fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    let candidate = format!("{year:04}-{month:02}-{day:02}");
    date_to_days(&candidate).map(|_| candidate)
}

/// A two-digit year read as POSIX `%y` does: 69–99 is 1969–1999, 00–68 is 2000–2068.
pub fn expand_two_digit_year(short: u32) -> u32 {
    let century = if short >= 69 { 1900 } else { 2000 };
    century + short
}

/// Day, month and year written as digits (`15`, `3`, `2024` or `24`) -> `YYYY-MM-DD` when the
/// day exists. Day and month have one or two digits, the year four or two (see
/// [`expand_two_digit_year`]).
pub fn day_month_year_to_iso(day: &str, month: &str, year: &str) -> Option<String> {
    let is_short_number = |part: &str| {
        (1..=2).contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    if !is_short_number(day) || !is_short_number(month) {
        return None;
    }
    let year = match year.len() {
        4 if year.bytes().all(|byte| byte.is_ascii_digit()) => year.parse().ok()?,
        2 => expand_two_digit_year(year.parse().ok()?),
        _ => return None,
    };
    iso_date(year, month.parse().ok()?, day.parse().ok()?)
}

/// Normalises a date from metadata or text to `YYYY-MM-DD` (accepts `YYYY-MM-DD…`,
/// `DD-MM-YYYY` and the `DD-MM-YY` of inventory lists and file names such as
/// `besluit_d_d_18-12-18`, with `-`, `/` or `.`). A two-digit year is read as POSIX `%y`
/// does: 69–99 is 1969–1999, 00–68 is 2000–2068.
pub fn normalise_date(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(prefix) = value.get(..10) {
        if date_to_days(prefix).is_some() {
            return Some(prefix.to_string());
        }
    }
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    day_month_year_to_iso(day, month, year)
}

/// An Excel serial day number (day 25569 is 1970-01-01; a fraction is the time of day) ->
/// `YYYY-MM-DD`.
pub fn excel_serial_to_iso(serial: f64) -> Option<String> {
    let days = serial.floor() as i64 - EXCEL_SERIAL_OF_1970_01_01;
    days_to_iso(days)
}

/// Dutch month names and abbreviations (`maart`, `mrt`, `sept.`) -> month number.
pub fn dutch_month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    let number = match name.as_str() {
        "januari" | "jan" => 1,
        "februari" | "feb" | "febr" => 2,
        "maart" | "mrt" | "mar" => 3,
        "april" | "apr" => 4,
        "mei" => 5,
        "juni" | "jun" => 6,
        "juli" | "jul" => 7,
        "augustus" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(number)
}

/// Converts a PDF date (`D:20210324101500+01'00'`, also without `D:` or with only a year)
/// to `YYYY-MM-DD`. Missing month or day become `01`; nonsense gives `None`. Only the ranges
/// are checked (month 1–12, day 1–31), as PDF writers put them.
pub fn pdf_date_to_iso(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(8)
        .collect();
    if digits.len() < 4 {
        return None;
    }
    let year: u32 = digits[0..4].parse().ok()?;
    let month: u32 = if digits.len() >= 6 {
        digits[4..6].parse().ok()?
    } else {
        1
    };
    let day: u32 = if digits.len() >= 8 {
        digits[6..8].parse().ok()?
    } else {
        1
    };
    if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_normalise() {
        assert_eq!(normalise_date("2024-03-15"), Some("2024-03-15".to_string()));
        assert_eq!(
            normalise_date("2024-03-15T10:00:00Z"),
            Some("2024-03-15".to_string())
        );
        assert_eq!(normalise_date("15-03-2024"), Some("2024-03-15".to_string()));
        assert_eq!(normalise_date("5/3/2024"), Some("2024-03-05".to_string()));
        assert_eq!(normalise_date("maart"), None);
        assert_eq!(normalise_date("2024-02-30"), None);
        // Two-digit years.
        assert_eq!(normalise_date("18-12-18"), Some("2018-12-18".to_string()));
        assert_eq!(normalise_date("3.2.21"), Some("2021-02-03".to_string()));
        assert_eq!(normalise_date("31/12/99"), Some("1999-12-31".to_string()));
        assert_eq!(normalise_date("01-01-68"), Some("2068-01-01".to_string()));
        assert_eq!(normalise_date("01-01-69"), Some("1969-01-01".to_string()));
        assert_eq!(normalise_date("30-02-21"), None);
        assert_eq!(normalise_date("1-2-345"), None);
        assert_eq!(normalise_date("123-1-2024"), None);
    }

    #[test]
    fn dates_convert_to_days() {
        assert_eq!(date_to_days("1970-01-02"), Some(1));
        assert_eq!(date_to_days("2024-13-01"), None);
        assert_eq!(date_to_days("nonsense"), None);
    }

    #[test]
    fn pdf_dates_become_iso_days() {
        assert_eq!(
            pdf_date_to_iso("D:20210324101500+01'00'").as_deref(),
            Some("2021-03-24")
        );
        assert_eq!(pdf_date_to_iso("20210324").as_deref(), Some("2021-03-24"));
        assert_eq!(pdf_date_to_iso("D:2021").as_deref(), Some("2021-01-01"));
        assert_eq!(pdf_date_to_iso("D:20211324"), None);
        assert_eq!(pdf_date_to_iso("gisteren"), None);
        assert_eq!(pdf_date_to_iso(""), None);
    }
}
