"""repoagent's analysis code, independent of the plugin protocol (tested on its own)."""
