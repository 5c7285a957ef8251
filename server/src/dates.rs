//! Dates as the search parameters and the query language's `date:` scope take them
//! (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) -> days since 1970. Below both [`crate::params`] and
//! [`crate::query`], so that neither needs the other for it.

use crate::error::{ApiError, Result};

/// Parses `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) into days since 1970; `end` picks the last day.
pub fn parse_date_param(param: &str, value: &str, end: bool) -> Result<i64> {
    let invalid = || {
        ApiError::invalid(
            param,
            format!("{param} must be a date as YYYY-MM-DD, YYYY-MM or YYYY, not {value:?}"),
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    // YYYY, MM and DD as digits of exactly that length (no signs, no `2021-3`).
    let digits_of_length = |part: &&str, length: usize| {
        part.len() == length && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    let well_formed = parts
        .iter()
        .enumerate()
        .all(|(position, part)| digits_of_length(part, if position == 0 { 4 } else { 2 }));
    if !well_formed {
        return Err(invalid());
    }
    let year: i32 = parts
        .first()
        .filter(|part| part.len() == 4)
        .and_then(|part| part.parse().ok())
        .ok_or_else(invalid)?;
    let month: u8 = match parts.get(1) {
        Some(part) => part.parse().map_err(|_| invalid())?,
        None if end => 12,
        None => 1,
    };
    let month = time::Month::try_from(month).map_err(|_| invalid())?;
    let day: u8 = match parts.get(2) {
        Some(part) => part.parse().map_err(|_| invalid())?,
        None if end => time::util::days_in_month(month, year),
        None => 1,
    };
    if parts.len() > 3 {
        return Err(invalid());
    }
    let date = time::Date::from_calendar_date(year, month, day).map_err(|_| invalid())?;
    Ok(i64::from(date.to_julian_day()) - 2_440_588)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_digits_of_their_exact_length() {
        assert!(parse_date_param("from", "2021", false).is_ok());
        assert!(parse_date_param("from", "2021-03", false).is_ok());
        assert!(parse_date_param("from", "2021-03-01", false).is_ok());
        assert_eq!(
            parse_date_param("to", "2021-02", true).unwrap(),
            parse_date_param("to", "2021-02-28", false).unwrap()
        );
        for bad in [
            "2021-3",
            "2021-03-1",
            "+202",
            "-2021",
            "21",
            "2021-03-01-01",
            "2021-13",
            "2021-02-30",
            "2021--03",
            "",
        ] {
            assert!(parse_date_param("from", bad, false).is_err(), "{bad}");
        }
    }
}
