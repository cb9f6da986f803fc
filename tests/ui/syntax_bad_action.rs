use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            a: link { text: "a", action: redirect },
        },
    };
}
