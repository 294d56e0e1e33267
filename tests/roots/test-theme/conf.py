"""A small knowledge base rendered with the talkbase theme and every theme option set."""

project = "Theme test"
copyright = "2026, The talkbase contributors"
extensions = ["myst_parser", "talkbase"]
html_theme = "talkbase"
html_static_path = ["_static"]
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "logo": "logo.svg",
    "accent_color": "#8a2be2",
    "accent_color_dark": "rgb(200, 170, 255)",
    "repository_url": "https://example.org/repo",
    "edit_url": "https://example.org/repo/edit/main/docs/{path}",
    "announcement": "<strong>New:</strong> the theme.",
    "navigation_depth": "3",
}
exclude_patterns = ["_build"]
