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
            let candidate = c.to_lowercase();
            // Each edit changes the length by at most one: a candidate whose length differs
            // by more than the limit is too far without working out the distance.
            if candidate.chars().count().abs_diff(length) > limit {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lowered, &candidate);
            (d <= limit).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
}
