// Workshop mode: ← and → step through the questions (clicks the previous/next buttons),
// unless the user is typing in a field.
document.addEventListener("keydown", function (event) {
    var target = event.target || {};
    var tag = (target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || target.isContentEditable || event.altKey || event.ctrlKey || event.metaKey) {
        return;
    }
    var id = event.key === "ArrowRight" ? "question-next" : event.key === "ArrowLeft" ? "question-prev" : null;
    var button = id && document.getElementById(id);
    if (button) {
        event.preventDefault();
        button.click();
    }
});
