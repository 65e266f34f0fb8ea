//! "Did you mean …?" for misspelled keys, values, rule ids and function names.

/// The closest candidate within a small edit distance, if any.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lowered = input.to_lowercase().replace('-', "_");
    let length = lowered.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let limit = (c.chars().count() / 3).clamp(1, 3);
            // Each edit changes the length by at most one: a candidate whose length differs
            // by more than the limit is too far without working out the distance. Lowering
            // ASCII keeps its length, so most candidates are ruled out before a copy.
            if c.is_ascii() && c.len().abs_diff(length) > limit {
                return None;
            }
            let candidate = c.to_lowercase();
            if candidate.chars().count().abs_diff(length) > limit
                || ascii_bag_distance(&lowered, &candidate).is_some_and(|d| d > limit)
            {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lowered, &candidate);
            (d <= limit).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A lower bound of the edit distance of two ASCII strings, found without aligning them: an
/// edit adds or removes at most one character on each side, and a transposition none.
fn ascii_bag_distance(a: &str, b: &str) -> Option<usize> {
    if !(a.is_ascii() && b.is_ascii()) {
        return None;
    }
    let mut counts = [0i32; 128];
    a.bytes().for_each(|x| counts[usize::from(x)] += 1);
    b.bytes().for_each(|x| counts[usize::from(x)] -= 1);
    let (only_a, only_b) = counts.iter().fold((0, 0), |(a, b), &c| {
        (a + c.max(0).unsigned_abs(), b + c.min(0).unsigned_abs())
    });
    Some(only_a.max(only_b) as usize)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_matches_only() {
        assert_eq!(did_you_mean("en-US", ["en_US", "en_GB"]), Some("en_US"));
        assert_eq!(did_you_mean("txt", ["text", "type"]), Some("text"));
        assert_eq!(did_you_mean("zzzzzz", ["text"]), None);
        // Lengths apart by the limit are still compared; by more, never close enough.
        assert_eq!(did_you_mean("categor", ["category"]), Some("category"));
        assert_eq!(did_you_mean("cat", ["category"]), None);
        assert_eq!(did_you_mean("en", ["en_US", "es"]), Some("es"));
    }

    #[test]
    fn the_bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "en_US",
            "en_GB",
            "es_US",
            "ne_SU",
            "pt_BR",
            "pt_PT",
            "zh_CN",
            "zh_HK",
            "text",
            "txt",
            "type",
            "category",
            "categroy",
            "ACCOUNT_UPDATE",
        ];
        for a in words {
            for b in words {
                let bound = super::ascii_bag_distance(a, b).unwrap();
                assert!(bound <= strsim::damerau_levenshtein(a, b), "{a:?} {b:?}");
            }
        }
        assert_eq!(super::ascii_bag_distance("en_US", "en_GB"), Some(2));
        assert_eq!(super::ascii_bag_distance("ab", "ba"), Some(0));
        assert_eq!(super::ascii_bag_distance("é", "e"), None);
    }
}
