//! The handler payload samples of the docs, every refusal, and properties of the parsers.

use b24_placement::placement::{Entity, Family, KnownPlacement, Placement};
use b24_placement::request::{AppStatus, HandlerRequest, PlacementOptions, Protocol};
use proptest::prelude::*;

fn fixtures() -> Vec<(String, String)> {
    let dir = format!("{}/../tests/fixtures/placements", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "form"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_sample_of_the_docs_parses() {
    let all = fixtures();
    assert_eq!(all.len(), 57);
    for (name, body) in &all {
        let r = HandlerRequest::parse(body, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let code = name.split_once('-').unwrap().1;
        assert_eq!(r.placement.to_string(), code);
        let p = r.known().unwrap_or_else(|| panic!("{name}: not in the table"));
        assert_eq!(r.domain, "xxx.bitrix24.com");
        assert_eq!(r.protocol, Some(Protocol::Https));
        assert_eq!(r.status, Some(AppStatus::Local));
        // the scraper broke tokens over lines; the fixtures hold them whole
        assert!(
            r.auth_id
                .as_ref()
                .is_some_and(|t| t.expose().len() >= 60 && !t.expose().contains(char::is_whitespace)),
            "{name}"
        );
        // every sample tied to an object names it, but the one the docs print without options
        let tied = !matches!(p.options(), b24_placement::placement::OptionsShape::None);
        assert_eq!(
            r.read_call().is_some(),
            tied && code != "CRM_DYNAMIC_183_LIST_MENU",
            "{name}"
        );
    }
}

#[test]
fn samples_read_the_right_object() {
    let get = |prefix: &str| {
        let (_, body) = fixtures()
            .into_iter()
            .find(|(n, _)| n.starts_with(prefix))
            .unwrap();
        HandlerRequest::parse(&body, None).unwrap()
    };
    let lead = get("01-");
    assert_eq!(
        lead.read_call().unwrap().to_json(),
        serde_json::json!({"method": "crm.lead.get", "params": {"id": 6591}})
    );
    let dynamic = get("31-");
    assert_eq!(dynamic.entity(), Some((Entity::DYNAMIC(183), 3)));
    assert_eq!(
        dynamic.read_call().unwrap().to_json(),
        serde_json::json!({"method": "crm.item.get", "params": {"entityTypeId": 183, "id": 3}})
    );
    let quote = get("36-");
    assert_eq!(quote.options, PlacementOptions::EntityId { entity_id: 5 });
    assert_eq!(quote.read_call().unwrap().method, "crm.quote.get");
    let timeline = get("39-");
    assert!(matches!(
        timeline.options,
        PlacementOptions::TimelineItem {
            timeline_item_id: Some(29937),
            ..
        }
    ));
    let deal_timeline = get("40-");
    assert!(matches!(
        deal_timeline.options,
        PlacementOptions::TimelineItem {
            entity_id: 3463,
            type_id: None,
            ..
        }
    ));
    let invoice = get("07-");
    assert_eq!(
        invoice.read_call().unwrap().params,
        serde_json::json!({"entityTypeId": 31, "id": 32})
    );
    let activity = get("08-");
    assert_eq!(activity.read_call().unwrap().method, "crm.activity.get");
    let toolbar = get("10-");
    assert_eq!(
        (toolbar.options.clone(), toolbar.read_call()),
        (PlacementOptions::None, None)
    );
    assert_eq!(toolbar.lang.as_deref(), Some("com"));
}

const BASE: &str = "DOMAIN=portal.bitrix24.com&PROTOCOL=1&LANG=en&member_id=abc&PLACEMENT=CRM_DEAL_DETAIL_TAB&AUTH_ID=SECRET-ACCESS-TOKEN&REFRESH_ID=SECRET-REFRESH-TOKEN";

fn with(extra: &str) -> Result<HandlerRequest, b24_placement::request::RequestError> {
    HandlerRequest::parse(&format!("{BASE}&{extra}"), None)
}

fn refused(body: &str, field: &str) {
    let e = HandlerRequest::parse(body, None).expect_err(body);
    assert_eq!(e.field, field, "{body}: {e}");
}

#[test]
fn refuses_a_missing_domain() {
    refused("member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB", "DOMAIN");
    refused("DOMAIN=&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB", "DOMAIN");
}

#[test]
fn refuses_a_domain_that_is_not_a_host() {
    for bad in [
        "https://x.bitrix24.com",
        "x.bitrix24.com/path",
        "evil.com@x",
        "a b.com",
        "x..com",
        "-x.com",
        "x.com:0",
        "x.com:99999",
        "x.com:",
        "<script>",
    ] {
        let body = format!(
            "DOMAIN={}&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB",
            urlencode(bad)
        );
        refused(&body, "DOMAIN");
    }
    assert_eq!(
        HandlerRequest::parse("DOMAIN=localhost:8080&member_id=a&PLACEMENT=X", None)
            .unwrap()
            .domain,
        "localhost:8080"
    );
}

#[test]
fn refuses_a_missing_member_id_or_placement() {
    refused("DOMAIN=x.com&PLACEMENT=CRM_DEAL_DETAIL_TAB", "member_id");
    refused("DOMAIN=x.com&member_id=a", "PLACEMENT");
}

#[test]
fn refuses_a_bad_protocol_or_expiry() {
    assert_eq!(with("PROTOCOL=2").unwrap_err().field, "PROTOCOL");
    assert_eq!(with("AUTH_EXPIRES=soon").unwrap_err().field, "AUTH_EXPIRES");
}

#[test]
fn refuses_options_that_are_not_json_objects() {
    assert_eq!(
        with("PLACEMENT_OPTIONS=%7Bnope").unwrap_err().field,
        "PLACEMENT_OPTIONS"
    );
    assert_eq!(
        with("PLACEMENT_OPTIONS=%5B1%5D").unwrap_err().field,
        "PLACEMENT_OPTIONS"
    );
}

#[test]
fn refuses_ids_that_are_not_digit_strings() {
    for bad in [
        "%7B%22ID%22%3A%2212a%22%7D",
        "%7B%22ID%22%3A%22-1%22%7D",
        "%7B%22ID%22%3Atrue%7D",
        "%7B%22ID%22%3A1.5%7D",
    ] {
        let e = with(&format!("PLACEMENT_OPTIONS={bad}")).unwrap_err();
        assert_eq!(e.field, "PLACEMENT_OPTIONS.ID", "{bad}");
    }
}

#[test]
fn refuses_a_timeline_item_without_its_required_keys() {
    let body = "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_ACTIVITY_TIMELINE_MENU&PLACEMENT_OPTIONS=%7B%22ENTITY_ID%22%3A%221%22%7D";
    refused(body, "PLACEMENT_OPTIONS.ASSOCIATED_ENTITY_ID");
}

#[test]
fn refuses_a_bad_built_in_interface_flag() {
    let body = "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22entityTypeId%22%3A%222%22%2C%22entityId%22%3A%227%22%2C%22useBuiltInInterface%22%3A%22maybe%22%7D";
    refused(body, "PLACEMENT_OPTIONS.useBuiltInInterface");
}

#[test]
fn built_in_interface_options() {
    let body = "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22entityTypeId%22%3A%222%22%2C%22entityId%22%3A%227%22%2C%22useBuiltInInterface%22%3A%22Y%22%7D";
    let r = HandlerRequest::parse(body, None).unwrap();
    assert_eq!(
        r.options,
        PlacementOptions::BuiltInInterface {
            entity_type_id: 2,
            entity_id: 7,
            use_built_in_interface: true
        }
    );
    assert_eq!(r.read_call().unwrap().method, "crm.deal.get");
}

#[test]
fn undefined_or_empty_options_mean_none() {
    for raw in ["undefined", "", "%7B%7D", "%5B%5D"] {
        assert_eq!(
            with(&format!("PLACEMENT_OPTIONS={raw}")).unwrap().options,
            PlacementOptions::None,
            "{raw}"
        );
    }
    assert_eq!(
        with("PLACEMENT_OPTIONS=%7B%22ID%22%3A%22undefined%22%7D")
            .unwrap_err()
            .field,
        "PLACEMENT_OPTIONS.ID"
    );
}

#[test]
fn query_fields_count_and_the_body_wins() {
    let r = HandlerRequest::parse(
        "member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB&LANG=de",
        Some("?DOMAIN=q.example.com&PROTOCOL=0&LANG=en&APP_SID=s1"),
    )
    .unwrap();
    assert_eq!(
        (
            r.domain.as_str(),
            r.protocol,
            r.lang.as_deref(),
            r.app_sid.as_deref()
        ),
        ("q.example.com", Some(Protocol::Http), Some("de"), Some("s1"))
    );
}

#[test]
fn unknown_codes_and_statuses_are_kept() {
    let r = HandlerRequest::parse(
        "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_NEW_THING&status=Z&PLACEMENT_OPTIONS=%7B%22X%22%3A1%7D",
        None,
    )
    .unwrap();
    assert_eq!(r.placement, Placement::Unknown("CRM_NEW_THING".into()));
    assert_eq!(r.status, Some(AppStatus::Other("Z".into())));
    let s = r.summary();
    assert_eq!(
        (s["family"].clone(), s["read"].clone(), s["options"]["X"].clone()),
        (
            serde_json::Value::Null,
            serde_json::Value::Null,
            serde_json::json!(1)
        )
    );
}

#[test]
fn tokens_never_show() {
    let r = with("AUTH_EXPIRES=3600").unwrap();
    assert_eq!(r.auth_id.as_ref().unwrap().expose(), "SECRET-ACCESS-TOKEN");
    for text in [
        format!("{r:?}"),
        r.summary().to_string(),
        format!("{}", r.auth_id.as_ref().unwrap()),
    ] {
        assert!(!text.contains("SECRET"), "{text}");
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

proptest! {
    #[test]
    fn every_typed_placement_prints_and_parses_back(n in 1u32..=u32::MAX, pick in 0usize..64) {
        let all: Vec<_> = KnownPlacement::all(n).collect();
        let p = all[pick % all.len()];
        prop_assert_eq!(Placement::parse(&p.to_string()), Placement::Known(p));
        if let Some(Entity::DYNAMIC(m)) = p.entity() { prop_assert_eq!(m, n); }
    }

    #[test]
    fn any_code_parses_without_panic_and_known_ones_round_trip(code in "(CRM_)?([A-Z_]{0,12}|DYNAMIC_[0-9]{0,4})_?(LIST_MENU|DETAIL_TAB|FUNNELS_TOOLBAR|[A-Z_]{0,8})") {
        match Placement::parse(&code) {
            Placement::Known(p) => prop_assert_eq!(p.to_string(), code),
            Placement::Unknown(c) => prop_assert_eq!(c, code),
        }
    }

    #[test]
    fn options_of_an_unknown_placement_are_kept_as_serde_json_reads_them(
        text in "\\{(\"([a-c]|\\\\n)\":(1|\"x\"|\"\\\\u0078\"|\\[\\]|\\{\"a\":null\\}|true),?){0,5}\\}|\\[\\]|\\[1\\]|5|\"s\"|\\{\"a\"|null|true",
    ) {
        let body = format!(
            "DOMAIN=x.bitrix24.com&member_id=m&PLACEMENT=SOMETHING_NEW&PLACEMENT_OPTIONS={}",
            urlencode(&text)
        );
        let got = HandlerRequest::parse(&body, None).map(|r| r.options);
        let expected = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Null) => Ok(PlacementOptions::None),
            Ok(serde_json::Value::Object(m)) if m.is_empty() => Ok(PlacementOptions::None),
            Ok(serde_json::Value::Object(m)) => Ok(PlacementOptions::Other(m)),
            Ok(serde_json::Value::Array(a)) if a.is_empty() => Ok(PlacementOptions::None),
            Ok(_) | Err(_) => Err("PLACEMENT_OPTIONS"),
        };
        match (got, expected) {
            (Ok(PlacementOptions::Other(a)), Ok(PlacementOptions::Other(b))) => {
                // same members, in the same order
                prop_assert_eq!(serde_json::Value::Object(a).to_string(), serde_json::Value::Object(b).to_string());
            }
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(e), Err(field)) => prop_assert_eq!(e.field, field),
            (got, expected) => prop_assert!(false, "{:?} vs {:?}", got, expected),
        }
    }

    #[test]
    fn any_body_parses_without_panic(body in any::<String>(), query in proptest::option::of(any::<String>())) {
        let _ = HandlerRequest::parse(&body, query.as_deref());
    }

    #[test]
    fn samples_with_any_field_value_parse_without_panic(pick in 0usize..57, field in 0usize..11, value in any::<String>()) {
        let all = fixtures();
        let (_, body) = &all[pick % all.len()];
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(body.trim().as_bytes()).into_owned().collect();
        let i = field % pairs.len();
        pairs[i].1 = value;
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        if let Ok(r) = HandlerRequest::parse(&body, None) {
            let text = r.summary().to_string();
            for (k, v) in &pairs {
                if (k == "AUTH_ID" || k == "REFRESH_ID") && v.len() > 8 {
                    prop_assert!(!text.contains(v.as_str()));
                }
            }
        }
    }
}

#[test]
fn family_table_matches_the_notes() {
    assert_eq!(Family::ACTIVITY_TIMELINE_MENU.entities().len(), 5);
    assert_eq!(
        Family::DOCUMENTGENERATOR_BUTTON.scope(),
        b24_placement::placement::Scope::Intranet
    );
    assert!(KnownPlacement::new(Family::LIST_MENU, Some(Entity::ACTIVITY)).is_ok());
    assert!(KnownPlacement::new(Family::DETAIL_TAB, Some(Entity::ACTIVITY)).is_err());
}

#[test]
fn domains_and_ports() {
    use b24_placement::request::is_valid_domain;
    for good in [
        "x.bitrix24.com",
        "localhost",
        "127.0.0.1:3000",
        "a-b.c:1",
        "x.com:65535",
        "X9.COM",
    ] {
        assert!(is_valid_domain(good), "{good}");
    }
    for bad in [
        "",
        ":80",
        "x.com:65536",
        "x.com:123456",
        "x.com:00000",
        "x.com:+80",
        "x.com:8a",
        "x.",
        ".x",
        "a-.com",
        "a.-b",
        "x_y.com",
        "x.com:80:80",
        &"a".repeat(64),
        &["a"; 130].join("."),
    ] {
        assert!(!is_valid_domain(bad), "{bad}");
    }
}

#[test]
fn the_fields_of_the_current_docs_are_read() {
    // the deal tab sample of the current docs: query and body split, URI in the options
    let query = "DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=5552d735";
    let body = "AUTH_ID=9d4c71&AUTH_EXPIRES=3600&REFRESH_ID=8c3b99\
        &SERVER_ENDPOINT=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&APPLICATION_TOKEN=ec1b2074\
        &APPLICATION_SCOPE=crm%2Cplacement&member_id=d897063e&status=T&PLACEMENT=CRM_DEAL_DETAIL_TAB\
        &PLACEMENT_OPTIONS=%7B%22ID%22%3A%228061%22%2C%22URI%22%3A%22%5C%2Fcrm%5C%2Fdeal%5C%2Fdetails%5C%2F8061%5C%2F%3FIFRAME%3DY%22%7D";
    let r = HandlerRequest::parse(body, Some(query)).unwrap();
    assert_eq!(
        r.server_endpoint.as_deref(),
        Some("https://oauth.bitrix.info/rest/")
    );
    assert!(r.application_token.as_ref().unwrap().matches("ec1b2074"));
    assert_eq!(r.application_scope.as_deref(), Some("crm,placement"));
    assert_eq!(r.status, Some(AppStatus::Trial));
    assert_eq!(r.uri.as_deref(), Some("/crm/deal/details/8061/?IFRAME=Y"));
    assert_eq!(r.options, PlacementOptions::Id { id: 8061 });
    // the application token is a secret like the others
    let debug = format!("{r:?}");
    assert!(
        !debug.contains("ec1b2074") && !debug.contains("9d4c71"),
        "{debug}"
    );
    for (letter, status) in [
        ("D", AppStatus::Demo),
        ("P", AppStatus::Paid),
        ("L", AppStatus::Local),
        ("F", AppStatus::Free),
    ] {
        let r = with(&format!("&status={letter}")).unwrap();
        assert_eq!(r.status, Some(status));
    }
    // a URI alone is no options; a list toolbar keeps its URI
    let r = HandlerRequest::parse(
        "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_LIST_TOOLBAR&PLACEMENT_OPTIONS=%7B%22URI%22%3A%22%2Fcrm%2Fdeal%2Flist%2F%22%7D",
        None,
    )
    .unwrap();
    assert_eq!(
        (r.options, r.uri.as_deref()),
        (PlacementOptions::None, Some("/crm/deal/list/"))
    );
    let e = HandlerRequest::parse(
        "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB&SERVER_ENDPOINT=ftp%3A%2F%2Fx",
        None,
    )
    .unwrap_err();
    assert_eq!(e.field, "SERVER_ENDPOINT");
}

#[test]
fn ids_sent_as_json_numbers_are_accepted() {
    let r = HandlerRequest::parse(
        "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB&PLACEMENT_OPTIONS=%7B%22ID%22%3A7%7D",
        None,
    )
    .unwrap();
    assert_eq!(r.options, PlacementOptions::Id { id: 7 });
    assert_eq!(r.read_call().unwrap().params, serde_json::json!({"id": 7}));
    for bad in ["-7", "7.5", "true", "%22x7%22"] {
        let body = format!(
            "DOMAIN=x.com&member_id=a&PLACEMENT=CRM_DEAL_DETAIL_TAB&PLACEMENT_OPTIONS=%7B%22ID%22%3A{bad}%7D"
        );
        let e = HandlerRequest::parse(&body, None).unwrap_err();
        assert_eq!(e.field, "PLACEMENT_OPTIONS.ID", "{bad}");
    }
}

#[test]
fn a_code_the_app_writes_is_checked_with_a_suggestion() {
    let e = "CRM_DEAL_DETAIL_ACTIVTY".parse::<Placement>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "`CRM_DEAL_DETAIL_ACTIVTY` is not a CRM placement code of the docs; did you mean `CRM_DEAL_DETAIL_ACTIVITY`?"
    );
    let e = "crm_dynamic_183_detail_tb".parse::<KnownPlacement>().unwrap_err();
    assert!(
        e.to_string()
            .ends_with("did you mean `CRM_DYNAMIC_183_DETAIL_TAB`?"),
        "{e}"
    );
    let e = "SOMETHING_ELSE".parse::<Placement>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "`SOMETHING_ELSE` is not a CRM placement code of the docs"
    );
    assert_eq!(
        "CRM_DEAL_DETAIL_TAB".parse::<Placement>().unwrap().to_string(),
        "CRM_DEAL_DETAIL_TAB"
    );
    // what Bitrix24 sends is kept, whatever it is
    assert_eq!(
        Placement::parse("CRM_DEAL_DETAIL_ACTIVTY"),
        Placement::Unknown("CRM_DEAL_DETAIL_ACTIVTY".into())
    );
}

#[test]
fn the_codes_of_the_current_docs_are_known() {
    use b24_placement::placement::{Call, Scope};
    for (code, family, entity) in [
        ("CRM_ORDER_DETAIL_TAB", Family::DETAIL_TAB, Some(Entity::ORDER)),
        (
            "CRM_ORDER_DETAIL_ACTIVITY",
            Family::DETAIL_ACTIVITY,
            Some(Entity::ORDER),
        ),
        (
            "CRM_ORDER_LIST_TOOLBAR",
            Family::LIST_TOOLBAR,
            Some(Entity::ORDER),
        ),
        ("CRM_FUNNELS_TOOLBAR", Family::FUNNELS_TOOLBAR, None),
        (
            "CRM_SMART_INVOICE_FUNNELS_TOOLBAR",
            Family::FUNNELS_TOOLBAR,
            Some(Entity::SMART_INVOICE),
        ),
        (
            "CRM_DYNAMIC_1038_FUNNELS_TOOLBAR",
            Family::FUNNELS_TOOLBAR,
            Some(Entity::DYNAMIC(1038)),
        ),
        ("CRM_DETAIL_SEARCH", Family::DETAIL_SEARCH, None),
        ("CRM_REQUISITE_AUTOCOMPLETE", Family::REQUISITE_AUTOCOMPLETE, None),
        (
            "CRM_BANK_DETAIL_AUTOCOMPLETE",
            Family::BANK_DETAIL_AUTOCOMPLETE,
            None,
        ),
        ("BI_ANALYTICS_MENU", Family::BI_ANALYTICS_MENU, None),
    ] {
        let p: KnownPlacement = code.parse().unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!((p.family(), p.entity()), (family, entity), "{code}");
        assert_eq!(p.to_string(), code);
    }
    // what the docs do not list stays refused
    for code in [
        "CRM_ORDER_DETAIL_TOOLBAR",
        "CRM_ORDER_LIST_MENU",
        "CRM_DEAL_FUNNELS_TOOLBAR",
        "CRM_BI_ANALYTICS_MENU",
        "CRM_CONTACT_FUNNELS_TOOLBAR",
    ] {
        assert!(code.parse::<KnownPlacement>().is_err(), "{code}");
    }
    let bi: KnownPlacement = "BI_ANALYTICS_MENU".parse().unwrap();
    assert_eq!(
        (bi.scope(), bi.family().call()),
        (Scope::Placement, Call::GetWithoutData)
    );
    assert_eq!(
        "CRM_DEAL_DETAIL_TAB"
            .parse::<KnownPlacement>()
            .unwrap()
            .family()
            .call(),
        Call::Post
    );
}

#[test]
fn search_and_autofill_requests_are_typed() {
    use b24_placement::request::SearchEntity;
    let body = |code: &str, options: &str| {
        format!(
            "DOMAIN=x.bitrix24.com&member_id=m&PLACEMENT={code}&PLACEMENT_OPTIONS={}",
            form_urlencoded::byte_serialize(options.as_bytes()).collect::<String>()
        )
    };
    let r = HandlerRequest::parse(
        &body(
            "CRM_DETAIL_SEARCH",
            r#"{"entityTypeName":"COMPANY","searchQuery":"Daisy","URI":"/crm/deal/details/5/?any=details%2F5%2F&IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER"}"#,
        ),
        None,
    )
    .unwrap();
    assert_eq!(
        r.options,
        PlacementOptions::Search {
            entity_type_name: SearchEntity::Company,
            search_query: "Daisy".into()
        }
    );
    assert!(r.uri.unwrap().starts_with("/crm/deal/details/5/"));
    let r = HandlerRequest::parse(
        &body(
            "CRM_REQUISITE_AUTOCOMPLETE",
            r#"{"searchQuery":"7707083893","URI":"/crm/company/details/7/"}"#,
        ),
        None,
    )
    .unwrap();
    assert_eq!(
        r.options,
        PlacementOptions::Query {
            search_query: "7707083893".into()
        }
    );
    // refusals name the member
    for (code, options, field) in [
        (
            "CRM_DETAIL_SEARCH",
            r#"{"entityTypeName":"DEAL","searchQuery":"x"}"#,
            "PLACEMENT_OPTIONS.entityTypeName",
        ),
        (
            "CRM_DETAIL_SEARCH",
            r#"{"entityTypeName":"CONTACT"}"#,
            "PLACEMENT_OPTIONS.searchQuery",
        ),
        (
            "CRM_BANK_DETAIL_AUTOCOMPLETE",
            r#"{"searchQuery":"044525225"}"#,
            "PLACEMENT_OPTIONS.URI",
        ),
        (
            "CRM_REQUISITE_AUTOCOMPLETE",
            r#"{"searchQuery":7}"#,
            "PLACEMENT_OPTIONS.searchQuery",
        ),
    ] {
        let e = HandlerRequest::parse(&body(code, options), None).unwrap_err();
        assert_eq!(e.field, field, "{code} {options}");
    }
    // an order's tab reads the order
    let r = HandlerRequest::parse(&body("CRM_ORDER_DETAIL_TAB", r#"{"ID":"12"}"#), None).unwrap();
    assert_eq!(r.read_call().unwrap().method, "sale.order.get");
}

#[test]
fn the_autofill_binds_take_countries() {
    use b24_placement::bind::PlacementBind;
    let p = PlacementBind::new(
        "CRM_REQUISITE_AUTOCOMPLETE".parse().unwrap(),
        "https://app.example.com/rq",
        "Registry",
    )
    .unwrap()
    .countries(&[1, 14])
    .unwrap();
    assert_eq!(p.to_json()["OPTIONS"], serde_json::json!({"countries": "1,14"}));
    let e = PlacementBind::new(
        "CRM_DEAL_DETAIL_TAB".parse().unwrap(),
        "https://app.example.com/t",
        "T",
    )
    .unwrap()
    .countries(&[1])
    .unwrap_err();
    assert_eq!(e.field, "OPTIONS.countries");
}
