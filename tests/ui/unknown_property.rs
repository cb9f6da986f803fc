use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            greeting: text { value: "Hello", bolt: true },
            field: input { label: "Name" },
        },
    };
}
