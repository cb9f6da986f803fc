use super::*;
use b24_crm::schema::EnumItem;

/// The deal's standard fields and user fields of each common type, as a snapshot holds
/// them.
fn snapshot() -> Source {
    let mut deal = b24_crm::standard::schema(Entity::DEAL, NameForm::Upper);
    for (name, ty) in [
        ("UF_CRM_NOTE", "string"),
        ("UF_CRM_LEVEL", "enumeration"),
        ("UF_CRM_VIP", "boolean"),
        ("UF_CRM_BUDGET", "money"),
        ("UF_CRM_TAGS", "string"),
    ] {
        let mut f = deal.fields["TITLE"].clone();
        f.name = name.into();
        f.r#type = FieldType::parse(ty);
        f.is_dynamic = true;
        f.is_multiple = name == "UF_CRM_TAGS";
        if ty == "enumeration" {
            f.items = [("11", "Bronze"), ("12", "Silver"), ("13", "Gold")]
                .map(|(id, value)| EnumItem {
                    id: id.into(),
                    value: value.into(),
                })
                .to_vec();
        }
        deal.fields.insert(name.into(), f);
    }
    let mut snapshot = Snapshot {
        portal: "example.bitrix24.com".into(),
        entities: Default::default(),
    };
    snapshot.entities.insert("deal".into(), deal);
    Source::Snapshot {
        path: PathBuf::from("/app/b24-fields.json"),
        snapshot,
    }
}

fn ok(input: TokenStream, source: &Source) -> String {
    match analyse(input, source, &quote!(Map)) {
        Ok(t) => t.to_string(),
        Err(e) => panic!("{:?}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    }
}

fn errs(input: TokenStream, source: &Source) -> Vec<String> {
    match analyse(input, source, &quote!(Map)) {
        Ok(t) => panic!("compiled: {t}"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn literals_are_written_as_the_portal_reads_them() {
    let out = ok(
        quote!(update deal {
            TITLE: "Delivery",
            OPPORTUNITY: 1200.50,
            UF_CRM_LEVEL: "Gold",
            UF_CRM_VIP: true,
            UF_CRM_TAGS: ["a", "b"],
            CLOSEDATE: (closes),
            CONTACT_IDS: ids,
        }),
        &snapshot(),
    );
    assert!(out.contains(r#"String :: from ("1200.50")"#), "{out}");
    assert!(out.contains(r#"String :: from ("13")"#), "{out}");
    assert!(out.contains(r#"String :: from ("Y")"#), "{out}");
    assert!(out.contains("write :: date (closes)"), "{out}");
    assert!(out.contains("write :: whole_many (ids)"), "{out}");
    assert!(
        out.contains(r#"include_bytes ! ("/app/b24-fields.json")"#),
        "{out}"
    );
}

#[test]
fn every_mistake_at_once() {
    let e = errs(
        quote!(update deal {
            TITEL: "x",
            ufCrm_VIP: "Y",
            ID: 5,
            CATEGORY_ID: 1,
            OPPORTUNITY: "lots",
            UF_CRM_LEVEL: "Platinum",
            UF_CRM_TAGS: ["a", true],
            UF_CRM_OTHER_PORTAL: 1,
            TITLE: "a",
            TITLE: "b",
        }),
        &snapshot(),
    );
    let all = e.join("\n---\n");
    for part in [
        "the portal has no field `TITEL`: it would ignore it\nhelp: did you mean `TITLE`?",
        "`ufCrm_VIP` is spelled `UF_CRM_VIP` here",
        "`ID` is read-only",
        "`CATEGORY_ID` is set only when the object is added",
        "`OPPORTUNITY` (double) takes a number, found \"lots\"",
        "\"Platinum\" is not an item of `UF_CRM_LEVEL`\nhelp: its items: 11 (Bronze), 12 (Silver), 13 (Gold)",
        "`UF_CRM_TAGS` (string) takes a string",
        "the portal has no field `UF_CRM_OTHER_PORTAL`",
        "`TITLE` is written twice",
    ] {
        assert!(all.contains(part), "missing {part:?} in\n{all}");
    }
    assert_eq!(e.len(), 9, "{all}");
}

#[test]
fn an_add_names_what_it_requires_and_what_cannot_be() {
    let e = errs(
        quote!(add company { COMPANY_TYPE: "CUSTOMER" }),
        &Source::Standard,
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("`TITLE` is required"), "{e:?}");
    ok(quote!(add deal { CATEGORY_ID: 1, TITLE: "x" }), &Source::Standard);
}

#[test]
fn without_a_snapshot_the_standard_fields() {
    ok(
        quote!(update deal { TITLE: "x", OPPORTUNITY: 5, IS_RECURRING: false }),
        &Source::Standard,
    );
    let e = errs(quote!(update deal { UF_CRM_LEVEL: 13 }), &Source::Standard);
    assert!(
        e[0].contains("note: without a snapshot of the portal's fields only the standard fields are known"),
        "{e:?}"
    );
    // a custom type's items in crm.item's spelling
    ok(
        quote!(update item(183) { title: "x", opened: true }),
        &Source::Standard,
    );
    let e = errs(quote!(update item(183) { TITLE: "x" }), &Source::Standard);
    assert!(e[0].contains("`TITLE` is spelled `title` here"), "{e:?}");
    // the snapshot has no item:183
    let e = errs(quote!(update item(183) { ufCrm183_1: 1 }), &snapshot());
    assert!(
        e[0].contains("the snapshot /app/b24-fields.json has no `item:183`"),
        "{e:?}"
    );
    assert!(e[0].contains("`b24 fields pull --item 183` adds it"), "{e:?}");
}

#[test]
fn syntax_and_objects() {
    let e = errs(quote!(change deal { TITLE: "x" }), &Source::Standard);
    assert!(
        e[0].starts_with("expected `update` or `add`, found `change`"),
        "{e:?}"
    );
    let e = errs(quote!(update deals { TITLE: "x" }), &Source::Standard);
    assert_eq!(e[0], "`deals` is no CRM object\nhelp: did you mean `deal`?");
    let e = errs(quote!(update deal { TITLE "x" }), &Source::Standard);
    assert!(e[0].starts_with("expected `:` after `TITLE`"), "{e:?}");
    let e = errs(
        quote!(update deal { TITLE: "x" }),
        &Source::Broken("b24-fields.json:/entities: bad".into()),
    );
    assert!(e[0].starts_with("b24-fields.json:/entities: bad"), "{e:?}");
}
