//! `b24 apply`: a layout with frame commands applied as the portal applies them.

use layout_core::LayoutDto;
use serde_json::Value;

use crate::check::{check_file, print_layout, read, Outcome};
use crate::report::{report, Format};

pub fn apply(layout: &str, commands: &str, compact: bool) -> std::io::Result<u8> {
    use layout_core::command::Command;
    use layout_core::state::WidgetState;
    let start = match check_file(layout, Some(layout_core::document::DocKind::Widget)).0 {
        Outcome::Valid(value) => value,
        Outcome::Invalid(errors) => {
            report(&errors, Format::Text)?;
            return Ok(1);
        }
        Outcome::Unreadable(error) => {
            report(&[error], Format::Text)?;
            return Ok(2);
        }
    };
    let text = match read(commands) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("b24: {commands}: cannot read the file: {e}");
            return Ok(2);
        }
    };
    let list: Value = match serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("b24: {commands}: not valid JSON: {e}");
            return Ok(2);
        }
    };
    let Some(list) = list.as_array() else {
        eprintln!("b24: {commands}: expected a JSON array of {{\"command\": NAME, \"params\": PARAMS}}");
        return Ok(1);
    };
    let file = layout;
    let layout: LayoutDto = match serde_json::from_value(start) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            return Ok(1);
        }
    };
    let mut state = match WidgetState::new(&layout) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            return Ok(1);
        }
    };
    for (i, entry) in list.iter().enumerate() {
        let name = entry.get("command").and_then(Value::as_str);
        let refuse = |what: &str, reason: &dyn std::fmt::Display| {
            eprintln!("b24: {commands}: /{i}: {what}: {reason}");
        };
        let Some(name) = name else {
            refuse(
                "(no command)",
                &"each entry is {\"command\": NAME, \"params\": PARAMS}",
            );
            return Ok(1);
        };
        if let Some(k) = entry
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "command" && *k != "params"))
        {
            refuse(
                name,
                &format!("unknown key `{k}`: an entry has `command` and `params`"),
            );
            return Ok(1);
        }
        let params = entry.get("params").unwrap_or(&Value::Null);
        let command = match Command::from_json(name, params) {
            Ok(c) => c,
            Err(e) => {
                refuse(name, &e);
                return Ok(1);
            }
        };
        if let Err(e) = state.apply(&command) {
            refuse(name, &e);
            return Ok(1);
        }
    }
    let Some(result) = state.layout() else {
        eprintln!("b24: the layout could not be rebuilt");
        return Ok(1);
    };
    print_layout(&result, compact)?;
    // what the layout alone does not show: how the widget ended
    match (state.locked, state.finished) {
        (false, false) => {}
        (true, false) => eprintln!("b24: the widget ended locked (`lock` with no `unlock` after it)"),
        (false, true) => eprintln!("b24: the widget ended finished (`finish`: the portal closes it)"),
        (true, true) => eprintln!("b24: the widget ended locked and finished"),
    }
    Ok(0)
}
