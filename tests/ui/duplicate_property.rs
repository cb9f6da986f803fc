use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            a: text { value: "first", value: "second" },
        },
    };
}
