use b24_widgets::layout;

fn main() {
    let _ = layout! {
        greeting: text { value: "Hello" },
    };
}
