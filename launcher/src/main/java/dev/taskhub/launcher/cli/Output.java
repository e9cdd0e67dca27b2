package dev.taskhub.launcher.cli;

/** How a command prints what it got: for people, or the API's JSON for scripts. */
public enum Output {
  text, json
}
