"""The review desk: extracted candidates wait in a queue beside the store until a reviewer
accepts, edits, merges or rejects each; decisions and accepted facts go into the store."""
