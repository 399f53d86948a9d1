// Presentation mode's keys (those of reveal.js, PowerPoint and clickers): what a key does while
// presenting, and which kind of control the reader is typing in, which keeps some keys for itself.
// The speaker view (speaker.ts) uses the same keys for the moves it sends.

/** What a key asks of the presentation; "typed" goes to the slide whose number was typed, "digit" adds to that number. */
export type PresentKeyAction = "next" | "prev" | "first" | "last" | "exit" | "speaker" | "fullscreen" | "black" | "typed" | "digit";

/**
 * Right, Down, Space, PageDown, n: next; Left, Up, Shift+Space, PageUp: previous; Home, End; a
 * number then Enter: that slide; Esc: leave; s: speaker view; f: full screen; b or .: black screen.
 */
export function presentKeyAction(key: string, shiftKey: boolean): PresentKeyAction | null {
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
    case "PageDown":
    case "n":
    case "N":
      return "next";
    case " ":
      return shiftKey ? "prev" : "next";
    case "ArrowLeft":
    case "ArrowUp":
    case "PageUp":
      return "prev";
    case "Home":
      return "first";
    case "End":
      return "last";
    case "Escape":
      return "exit";
    case "s":
    case "S":
      return "speaker";
    case "f":
    case "F":
      return "fullscreen";
    case "b":
    case "B":
    case ".":
      return "black";
    case "Enter":
      return "typed";
    default:
      return /^[0-9]$/.test(key) ? "digit" : null;
  }
}

/** The kind of control a key goes to: a text field, a slider or list (the arrows are its own), a button, or none. */
export function isTyping(target: EventTarget | null): "text" | "control" | "button" | null {
  if (!(target instanceof Element)) return null;
  if (target.closest("textarea, [contenteditable=''], [contenteditable=true]")) return "text";
  if (target instanceof HTMLInputElement) {
    if (["range", "checkbox", "radio"].includes(target.type)) return "control";
    if (["button", "submit", "reset"].includes(target.type)) return "button";
    return "text";
  }
  if (target.closest("select, [role=slider], [role=spinbutton], [role=listbox]")) return "control";
  if (target.closest("button, summary, a[href]")) return "button";
  return null;
}
