use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            a: link { text: "a", action: redirect("javascript:alert(document.cookie)") },
            b: link { text: "b", action: redirect(" Data:text/html,<script>x</script>") },
        },
    };
}
