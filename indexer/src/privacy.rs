//! Personal data that must not be published: citizen service numbers (BSN, with the
//! eleven-test), e-mail addresses, Dutch phone numbers, IBANs (with the mod-97 check), street
//! addresses (a street and house number with a postcode) and dates of birth (a date after
//! `geboren`/`geboortedatum`). Used before anything is indexed: a complaint-judgement record
//! holding any is refused with a per-record error (`crate::complaint`; the rest of the file
//! is indexed).
//!
//! The patterns are the written forms, not a list grown from the corpus: `123456782` and
//! `1234.56.782`; `06-12345678`, `+31 6 12345678`, `010 123 4567`; `NL91 ABNA 0417 1643 00`;
//! `Dorpsstraat 12, 1234 AB Plaats`. A number that fails its check (BSN, IBAN) is not flagged, and
//! neither is a refusal ground such as `5.1.2e` or a date on its own.

use std::sync::OnceLock;

use regex::Regex;

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PersonalData {
    /// Burgerservicenummer.
    Bsn,
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
    /// Bank account number.
    Iban,
    /// Street address with postcode.
    Address,
    /// Date of birth.
    DateOfBirth,
}

impl PersonalData {
    /// The Dutch name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            PersonalData::Bsn => "BSN",
            PersonalData::Email => "e-mailadres",
            PersonalData::Phone => "telefoonnummer",
            PersonalData::Iban => "IBAN",
            PersonalData::Address => "adres",
            PersonalData::DateOfBirth => "geboortedatum",
        }
    }
}

struct Patterns {
    bsn: Regex,
    email: Regex,
    phone: Regex,
    iban: Regex,
    address: Regex,
    birth: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        // Nine digits, optionally grouped 4.2.3 with dots or spaces, not inside a longer number.
        bsn: Regex::new(r"(?:^|[^\d.])(\d{4}[. ]?\d{2}[. ]?\d{3})(?:$|[^\d])").expect("bsn pattern"),
        email: Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b").expect("email pattern"),
        // Mobile (06) and area codes (0xx / 0xxx), or +31 / 0031; separators space or dash.
        phone: Regex::new(r"(?:^|[^\d])((?:\+31|0031|0)[ -]?(?:6[ -]?\d{8}|\d{2}[ -]?\d{3}[ -]?\d{4}|\d{3}[ -]?\d{6}|\d{2}[ -]?\d{7}))(?:$|[^\d])")
            .expect("phone pattern"),
        iban: Regex::new(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?)\b").expect("iban pattern"),
        address: Regex::new(r"\b[A-Z][a-zà-ÿ]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park)\s+\d{1,5}[a-zA-Z]?\b[,]?\s+\d{4}\s?[A-Z]{2}\b")
            .expect("address pattern"),
        birth: Regex::new(r"(?i)\b(?:geboren(?:\s+op)?|geboortedatum:?|geb\.)\s+\d{1,2}[-/ .](?:\d{1,2}|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)[-/ .]\d{2,4}")
            .expect("birth pattern"),
    })
}

/// The kinds of personal data in `text`, each once, in a fixed order.
pub fn find_personal_data(text: &str) -> Vec<PersonalData> {
    let patterns = patterns();
    let mut found = Vec::new();
    if patterns
        .bsn
        .captures_iter(text)
        .any(|captures| passes_eleven_test(&captures[1]))
    {
        found.push(PersonalData::Bsn);
    }
    if patterns.email.is_match(text) {
        found.push(PersonalData::Email);
    }
    if patterns.phone.is_match(text) {
        found.push(PersonalData::Phone);
    }
    if patterns
        .iban
        .captures_iter(text)
        .any(|captures| passes_mod_97(&captures[1]))
    {
        found.push(PersonalData::Iban);
    }
    if patterns.address.is_match(text) {
        found.push(PersonalData::Address);
    }
    if patterns.birth.is_match(text) {
        found.push(PersonalData::DateOfBirth);
    }
    found
}

/// The BSN eleven-test: 9×d1 + 8×d2 + … + 2×d8 − 1×d9 is a multiple of 11 (and not 0).
fn passes_eleven_test(number: &str) -> bool {
    let digits: Vec<i64> = number
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(i64::from)
        .collect();
    if digits.len() != 9 || digits.iter().all(|&digit| digit == 0) {
        return false;
    }
    let sum: i64 = digits[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(digit, weight)| digit * weight)
        .sum::<i64>()
        - digits[8];
    sum % 11 == 0
}

/// The IBAN check: the number moved to start at its fifth character, letters as 10–35, is 1
/// modulo 97.
fn passes_mod_97(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    let mut remainder: u32 = 0;
    for character in rearranged.chars() {
        let value = match character.to_digit(36) {
            Some(value) => value,
            None => return false,
        };
        let digits = if value >= 10 { 2 } else { 1 };
        remainder = (remainder * if digits == 2 { 100 } else { 10 } + value) % 97;
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_found_in_its_written_forms() {
        for (text, kind) in [
            ("BSN 111222333 van klager", PersonalData::Bsn),
            ("bsn: 1112.22.333", PersonalData::Bsn),
            ("mail naar j.jansen@example.nl", PersonalData::Email),
            ("bel 06-12345678 na vijven", PersonalData::Phone),
            ("of +31 6 12345678", PersonalData::Phone),
            ("kantoor 010 123 4567", PersonalData::Phone),
            ("rekening NL91 ABNA 0417 1643 00", PersonalData::Iban),
            (
                "woont Dorpsstraat 12, 1234 AB Ergens",
                PersonalData::Address,
            ),
            ("geboren op 3 maart 1980", PersonalData::DateOfBirth),
            ("geboortedatum: 12-03-1980", PersonalData::DateOfBirth),
        ] {
            assert!(
                find_personal_data(text).contains(&kind),
                "{kind:?} in {text:?}"
            );
        }
    }

    #[test]
    fn numbers_failing_their_check_and_woo_codes_are_not_personal_data() {
        for text in [
            "BSN 123456789 klopt niet",        // fails the eleven-test
            "rekening NL91 ABNA 0417 1643 01", // fails mod 97
            "weigeringsgrond 5.1.2e en 5.2",
            "besluit van 12-03-2024, kenmerk 2024-0117",
            "artikel 9:11 Awb, zes weken",
            "de Stationsstraat werd heringericht",
        ] {
            assert!(
                find_personal_data(text).is_empty(),
                "{text:?}: {:?}",
                find_personal_data(text)
            );
        }
    }
}
