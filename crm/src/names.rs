//! The two spellings of a user field: `UF_CRM_...` in the classic methods (and in
//! `crm.item.*` with `useOriginalUfNames=Y`), `ufCrm...` in `crm.item.*` (FIELDS.md §1.1).

/// Whether `name` is a user field in either spelling.
pub fn is_user_field(name: &str) -> bool {
    name.starts_with("UF_") || name.starts_with("ufCrm")
}

fn capitalized(part: &str) -> String {
    let lower = part.to_ascii_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// `UF_CRM_10_5186744711` -> `ufCrm10_5186744711`, `UF_CRM_10_DIGIT` -> `ufCrm10Digit`
/// (the regular form: the object number, then only digits or only letters);
/// `UF_CRM_3_DIGIT10` -> `ufCrm_3_DIGIT10`, `UF_CRM_1747309879` -> `ufCrm_1747309879`
/// (the simplified form). `None` for a name that is no `UF_CRM_` field.
pub fn to_camel(upper: &str) -> Option<String> {
    let rest = upper.strip_prefix("UF_CRM_")?;
    if rest.is_empty() {
        return None;
    }
    let parts: Vec<&str> = rest.split('_').collect();
    let all = |ps: &[&str], f: fn(u8) -> bool| ps.iter().all(|p| !p.is_empty() && p.bytes().all(f));
    if parts.len() >= 2 && all(&parts[..1], |b| b.is_ascii_digit()) {
        let (object, tail) = (parts[0], &parts[1..]);
        if all(tail, |b| b.is_ascii_digit()) {
            return Some(format!("ufCrm{object}_{}", tail.join("_")));
        }
        if all(tail, |b| b.is_ascii_alphabetic()) {
            let camel: String = tail.iter().map(|p| capitalized(p)).collect();
            return Some(format!("ufCrm{object}{camel}"));
        }
    }
    Some(format!("ufCrm_{rest}"))
}

/// The reverse of [`to_camel`]: `ufCrm10Digit` -> `UF_CRM_10_DIGIT`, `ufCrm_3_DIGIT10` ->
/// `UF_CRM_3_DIGIT10`. `None` for a name that is no `ufCrm` field.
pub fn to_upper(camel: &str) -> Option<String> {
    let rest = camel.strip_prefix("ufCrm")?;
    if let Some(simple) = rest.strip_prefix('_') {
        return (!simple.is_empty()).then(|| format!("UF_CRM_{simple}"));
    }
    let digits_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let (object, tail) = rest.split_at(digits_end);
    if object.is_empty() {
        return None;
    }
    if let Some(numbers) = tail.strip_prefix('_') {
        return Some(format!("UF_CRM_{object}_{numbers}"));
    }
    // humps: `Digit` -> `DIGIT`, `ManagerNote` -> `MANAGER_NOTE`
    let mut words = Vec::new();
    let mut word = String::new();
    for c in tail.chars() {
        if c.is_ascii_uppercase() && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_uppercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.is_empty() {
        return None;
    }
    Some(format!("UF_CRM_{object}_{}", words.join("_")))
}

/// The other spelling of a user field's name, if it is one.
pub fn other_spelling(name: &str) -> Option<String> {
    to_camel(name).or_else(|| to_upper(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_docs_table() {
        for (upper, camel) in [
            ("UF_CRM_10_5186744711", "ufCrm10_5186744711"),
            ("UF_CRM_10_DIGIT", "ufCrm10Digit"),
            ("UF_CRM_3_1747309727", "ufCrm3_1747309727"),
            ("UF_CRM_3_DIGIT10", "ufCrm_3_DIGIT10"),
            ("UF_CRM_1747309879", "ufCrm_1747309879"),
            ("UF_CRM_1721244707107", "ufCrm_1721244707107"),
            ("UF_CRM_44_1721812760630", "ufCrm44_1721812760630"),
            ("UF_CRM_2_1639669411830", "ufCrm2_1639669411830"),
        ] {
            assert_eq!(to_camel(upper).as_deref(), Some(camel), "{upper}");
            assert_eq!(to_upper(camel).as_deref(), Some(upper), "{camel}");
        }
        assert_eq!(to_camel("TITLE"), None);
        assert_eq!(to_upper("title"), None);
    }

    proptest! {
        /// Any user-field name goes to the other spelling and back; nothing panics.
        #[test]
        fn both_ways(object in proptest::option::of(1u32..999), tail in "[0-9]{1,13}|[A-Z]{1,8}(_[A-Z]{1,8}){0,2}|[A-Z0-9]{1,10}") {
            let upper = match object {
                Some(o) => format!("UF_CRM_{o}_{tail}"),
                None => format!("UF_CRM_{tail}"),
            };
            let camel = to_camel(&upper).unwrap();
            prop_assert_eq!(to_upper(&camel), Some(upper));
        }

        #[test]
        fn any_text_is_read_without_a_panic(s in "\\PC{0,30}") {
            let _ = other_spelling(&s);
        }
    }
}
