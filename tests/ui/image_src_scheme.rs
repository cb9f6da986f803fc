use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            s: section { imageSrc: "/upload/logo.png", blocks: { a: text { value: "a" } } },
        },
    };
}
