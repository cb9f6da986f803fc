use b24_widgets::timeline_json;

fn main() {
    let name = "Anna";
    let _ = timeline_json! { blocks: { t: text { value: (name) } } };
}
