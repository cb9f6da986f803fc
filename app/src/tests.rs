use super::*;

const GOOD: &str = r#"[app]
name = "deal-widget"
url = "https://app.example.com/"
client_id_env = "MY_ID"

[[placement]]
code = "CRM_DEAL_DETAIL_ACTIVITY"
handler = "/handler"
title = "Deal comment"
description = "Comments on the deal's timeline"
built_in_interface = true

[[placement]]
code = "CRM_COMPANY_DETAIL_TAB"
handler = "/tab"
title = "Summary"

[[placement]]
code = "CRM_REQUISITE_AUTOCOMPLETE"
handler = "/requisites"
title = "Find the company"
options = { countries = [1, 14] }

[[event]]
name = "onCrmDealUpdate"
handler = "/events"

[[event]]
name = "ONCRMCONTACTADD"
offline = true
auth_connector = "deal-widget"
"#;

fn errors(text: &str) -> Vec<(usize, usize, String, String, Option<String>)> {
    App::parse(text)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.line, e.column, e.key, e.message, e.help))
        .collect()
}

#[test]
fn a_good_file_gives_the_binds_for_any_address() {
    let app = App::parse(GOOD).unwrap();
    assert_eq!(app.url, "https://app.example.com");
    assert_eq!(app.scopes, ["crm", "placement"]);
    assert_eq!(
        (app.client_id_env.as_str(), app.client_secret_env.as_str()),
        ("MY_ID", "B24_CLIENT_SECRET")
    );
    let binds = app.placement_binds("http://localhost:4000/").unwrap();
    let first = binds[0].to_json();
    assert_eq!(first["HANDLER"], "http://localhost:4000/handler");
    assert_eq!(first["DESCRIPTION"], "Comments on the deal's timeline");
    assert_eq!(first["OPTIONS"]["useBuiltInInterface"], "Y");
    assert_eq!(binds[2].to_json()["OPTIONS"]["countries"], "1,14");
    let events = app.event_binds(&app.url).unwrap();
    assert_eq!(events[0].to_json()["handler"], "https://app.example.com/events");
    assert_eq!(events[0].event().to_string(), "ONCRMDEALUPDATE");
    assert!(events[1].is_offline() && events[1].connector() == Some("deal-widget"));
}

#[test]
fn every_error_is_reported_at_once_with_its_place_and_help() {
    let text = r#"[app]
name = "w"
url = "https://app.example.com"
scopes = ["placement"]

[[placement]]
code = "CRM_DEAL_DETAIL_ACTIVTY"
handler = "/handler"
title = "A"

[[placement]]
code = "CRM_DEAL_DETAIL_TAB"
handler = "handler"
title = "B"

[[placement]]
code = "CRM_DEAL_LIST_MENU"
handler = "/menu"
title = "C"
options = { countries = [1] }

[[placement]]
code = "CRM_DEAL_DETAIL_TAB"
handler = "/tab"
title = "D"
built_in_interface = true

[[event]]
name = "ONCRMDEALUPDTE"
handler = "/events"

[[event]]
name = "ONCRMDEALADD"
"#;
    let got = errors(text);
    let keys: Vec<&str> = got.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(
        keys,
        [
            "placement[0].code",
            "placement[1].handler",
            "placement[2].options.countries",
            "placement[3].built_in_interface",
            "event[0].name",
            "event[1].handler",
            "app.scopes",
        ]
    );
    assert_eq!((got[0].0, got[0].1), (7, 8));
    assert_eq!(
        got[0].4.as_deref(),
        Some("did you mean `CRM_DEAL_DETAIL_ACTIVITY`?")
    );
    assert_eq!((got[1].0, got[1].1), (13, 11));
    assert!(got[1].3.contains("starts with `/`"));
    assert_eq!(got[2].4.as_deref(), Some("LIST_MENU takes no options"));
    assert_eq!(got[4].4.as_deref(), Some("did you mean `ONCRMDEALUPDATE`?"));
    assert!(got[5].3.contains("needs a handler path, or `offline = true`"));
    assert_eq!(got[6].4.as_deref(), Some("add \"crm\""));
}

#[test]
fn toml_and_unknown_keys_are_refused_with_their_place() {
    let got = errors("[app]\nname = \"w\"\nurl = \"https://a.example.com\"\n\n[[placement]]\ncode = \"CRM_DEAL_DETAIL_TAB\"\nhandler = \"/t\"\ntitel = \"x\"\n");
    assert_eq!(got.len(), 1);
    assert!(got[0].3.contains("unknown field `titel`"), "{got:?}");
    assert_eq!(got[0].0, 8);
    let got = errors("[app\nname = 1");
    assert_eq!(got[0].0, 1);
    let got = errors("[app]\nname = \"w\"\nurl = \"http://example.com\"\n");
    assert_eq!(got[0].2, "app.url");
    // a look-alike of localhost is not localhost
    let got = errors("[app]\nname = \"w\"\nurl = \"http://localhost.example.com\"\n");
    assert_eq!(got[0].2, "app.url");
    assert!(App::parse("").is_err());
}
