//! Phone-number facts, behind one module because the metadata crate (rlibphonenumber) is young.
//! Its metadata loads on first use only, so runs without phone rules never pay for it.

use rlibphonenumber::{PhoneNumber, PhoneNumberType};

/// Number types as wabalint's rules name them (libphonenumber's categories).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberType {
    FixedLine,
    Mobile,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl NumberType {
    pub const NAMES: [&'static str; 12] = [
        "FIXED_LINE",
        "MOBILE",
        "FIXED_LINE_OR_MOBILE",
        "TOLL_FREE",
        "PREMIUM_RATE",
        "SHARED_COST",
        "VOIP",
        "PERSONAL_NUMBER",
        "PAGER",
        "UAN",
        "VOICEMAIL",
        "UNKNOWN",
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// How people call the type ("a {} number").
    pub fn describe(self) -> &'static str {
        match self {
            NumberType::FixedLine => "landline",
            NumberType::Mobile => "mobile",
            NumberType::FixedLineOrMobile => "landline or mobile",
            NumberType::TollFree => "toll-free",
            NumberType::PremiumRate => "premium-rate",
            NumberType::SharedCost => "shared-cost",
            NumberType::Voip => "VoIP",
            NumberType::PersonalNumber => "personal",
            NumberType::Pager => "pager",
            NumberType::Uan => "UAN (universal access)",
            NumberType::Voicemail => "voicemail",
            NumberType::Unknown => "unknown-type",
        }
    }
}

/// What libphonenumber says about one international number.
#[derive(Clone, Debug)]
pub struct PhoneFacts {
    pub valid: bool,
    pub number_type: NumberType,
    /// ISO region when libphonenumber can tell (not for invalid numbers of shared codes such as +1).
    pub region: Option<String>,
    pub calling_code: i32,
}

impl PhoneFacts {
    /// "DE (+49)", or "+44" when the region is unknown.
    pub fn origin(&self) -> String {
        match &self.region {
            Some(r) => format!("{r} (+{})", self.calling_code),
            None => format!("+{}", self.calling_code),
        }
    }
}

/// Digits of a number as people write it (`+49 30-123 456` → `4930123456`).
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether the text is only digits and the usual separators, with an optional leading `+`.
pub fn is_dialable(text: &str) -> bool {
    let body = text.trim().strip_prefix('+').unwrap_or(text.trim());
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'))
        && body.chars().any(|c| c.is_ascii_digit())
}

/// What libphonenumber made of one number; its facts are worked out when first asked for,
/// since whether the number reads at all is the cheaper question.
struct Known {
    number: Option<PhoneNumber>,
    facts: Option<PhoneFacts>,
}

/// Runs `f` on what is known of `+<digits>`, parsing it the first time. Several rules ask
/// about the same number, and a business repeats its numbers across templates: answers are
/// kept per thread, up to 1,024 numbers (each entry holds a parsed number: 4,096 of them
/// were 1.3 MB per thread).
fn with_known<R>(international_digits: &str, f: impl FnOnce(&mut Known) -> R) -> Option<R> {
    thread_local! {
        static KNOWN: std::cell::RefCell<foldhash::HashMap<String, Known>> = Default::default();
    }
    KNOWN.with_borrow_mut(|known| {
        if !known.contains_key(international_digits) {
            if known.len() >= 1024 {
                known.clear();
            }
            let number = format!("+{international_digits}").parse().ok();
            let parsed = Known {
                number,
                facts: None,
            };
            known.insert(international_digits.to_string(), parsed);
        }
        known.get_mut(international_digits).map(f)
    })
}

/// Whether `+<digits>` reads as a number (a known country calling code, a possible length).
pub fn reads(international_digits: &str) -> bool {
    match reads_by_calling_code(international_digits) {
        Some(answer) => answer,
        None => parses(international_digits),
    }
}

/// Whether libphonenumber parses `+<digits>`, asked of the parser itself.
fn parses(international_digits: &str) -> bool {
    with_known(international_digits, |k| k.number.is_some()).unwrap_or(false)
}

/// [`reads`] answered from the calling code and the length, when they settle it. For `+`
/// and digits, libphonenumber's parse fails when no calling code starts them or fewer than
/// two digits follow it, and succeeds when 2 to 17 follow; past 17 it may strip a national
/// prefix first, so `None` leaves it to the parse. A parse costs ~0.1 M instructions (its
/// regexes), and template buttons rarely repeat a number within a thread's reach.
fn reads_by_calling_code(international_digits: &str) -> Option<bool> {
    const MIN_NATIONAL: usize = 2;
    const MAX_NATIONAL: usize = 17;
    let digits = international_digits;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.starts_with('0') {
        return Some(false);
    }
    let util = &*rlibphonenumber::PHONE_NUMBER_UTIL;
    let code_length = (1..=3).find(|&n| {
        digits
            .get(..n)
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| util.get_region_for_country_code(code).is_some())
    });
    let Some(code_length) = code_length else {
        return Some(false);
    };
    match digits.len() - code_length {
        n if n < MIN_NATIONAL => Some(false),
        n if n <= MAX_NATIONAL => Some(true),
        _ => None,
    }
}

/// Facts for `+<digits>`; `None` when it does not read as a number (see [`reads`]).
pub fn facts(international_digits: &str) -> Option<PhoneFacts> {
    with_known(international_digits, |k| {
        let number = k.number.as_ref()?;
        Some(k.facts.get_or_insert_with(|| facts_of(number)).clone())
    })
    .flatten()
}

fn facts_of(number: &PhoneNumber) -> PhoneFacts {
    PhoneFacts {
        valid: number.is_valid(),
        number_type: convert(number.get_type()),
        region: number.get_region_code().map(|r| format!("{r:?}")),
        calling_code: number.country_code,
    }
}

fn convert(t: PhoneNumberType) -> NumberType {
    match t {
        PhoneNumberType::FixedLine => NumberType::FixedLine,
        PhoneNumberType::Mobile => NumberType::Mobile,
        PhoneNumberType::FixedLineOrMobile => NumberType::FixedLineOrMobile,
        PhoneNumberType::TollFree => NumberType::TollFree,
        PhoneNumberType::PremiumRate => NumberType::PremiumRate,
        PhoneNumberType::SharedCost => NumberType::SharedCost,
        PhoneNumberType::VoIP => NumberType::Voip,
        PhoneNumberType::PersonalNumber => NumberType::PersonalNumber,
        PhoneNumberType::Pager => NumberType::Pager,
        PhoneNumberType::UAN => NumberType::Uan,
        PhoneNumberType::VoiceMail => NumberType::Voicemail,
        _ => NumberType::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_without_a_default_region() {
        let de_mobile = facts("4915123456789").unwrap();
        assert!(de_mobile.valid);
        assert_eq!(de_mobile.number_type, NumberType::Mobile);
        assert_eq!(
            facts("18005550199").unwrap().number_type,
            NumberType::TollFree
        );
        assert!(!facts("112345").unwrap().valid);
    }

    #[test]
    fn reads_numbers_of_known_calling_codes() {
        assert!(reads("4915123456789"));
        assert!(!reads("9991234567"));
        assert!(facts("9991234567").is_none());
    }

    /// The shortcut answers as the parse does, for every start of up to three digits and
    /// national lengths around both bounds.
    #[test]
    fn the_calling_code_shortcut_answers_as_the_parse_does() {
        let mut settled = 0;
        for start in
            (0..1000)
                .map(|n: u32| n.to_string())
                .chain(["00".into(), "01".into(), "001".into()])
        {
            for national in [0, 1, 2, 3, 9, 15, 16, 17, 18, 19] {
                let filler: String = (0..national)
                    .map(|i| char::from(b'0' + (i * 7 % 10) as u8))
                    .collect();
                for digits in [
                    format!("{start}{filler}"),
                    format!("{start}{}", filler.replace('0', "5")),
                ] {
                    let Some(quick) = reads_by_calling_code(&digits) else {
                        continue;
                    };
                    settled += 1;
                    assert_eq!(quick, parses(&digits), "+{digits}");
                }
            }
        }
        assert!(settled > 14_000, "{settled}");
        assert_eq!(reads_by_calling_code(""), None);
        assert_eq!(reads_by_calling_code("49 30"), None);
        assert_eq!(reads_by_calling_code("49123456789012345678"), None);
    }

    #[test]
    fn digits_and_dialable() {
        assert_eq!(digits("+49 30-123 456"), "4930123456");
        assert!(is_dialable("+1 (415) 555-2671"));
        assert!(!is_dialable("call me"));
    }
}
