// Marks the page as scripted (shows the controls that need JavaScript).
document.documentElement.classList.remove("no-js");
