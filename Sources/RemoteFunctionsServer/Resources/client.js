// The browser client is written by the web work; this file is replaced.
