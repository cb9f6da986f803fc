use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            greeting: txt { value: "Hello" },
        },
    };
}
