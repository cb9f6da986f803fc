use b24_widgets::layout_json;

fn main() {
    let name = "Ann";
    let _ = layout_json! {
        blocks: { a: text { value: name } },
    };
}
