"""What the tests share, one module per kind of thing.

- `processes`: running tools in a generated project, isolated from this repository's env.
- `template_repo`: this working tree as a plain folder or as a tagged release to copy from.
- `copier_runs`: `copier copy` through the CLI (as users run it) or in-process, and answers.
- `variants`: the answer sets the suite generates once per session and checks many ways.
- `facts`: the template's facts (project types, generated files, plan structure) read from
  their single sources, for tests to derive expectations from.
- `generated_files`: reading a generated tree: its files, parsed config files, whitespace.
- `jinja_modules`: a Jinja macro file or template string of this repository (a validator),
  loaded and rendered like copier does it.
- `markdown`: what the plan's Markdown renders to (a CommonMark renderer as the oracle).
- `text_strategies`: hypothesis strategies for what people type into answers.
- `hook_mirrors`, `mirror_backend`: offline git mirrors of the pre-commit hook repositories.
- `planted_secrets`: secrets made at run time for the secret-scanning tests.
- `update_story`: template releases v1 -> v2 -> v3 and a team's edits between them.
- `pythons`: finding the Python versions the generated projects need.
- `planning_document`: the original planning document, the independent source of the plan's
  structure.
- `docs`: this repository's documentation as a renderer reads it (commands, links, tables).
- `hooked`, `project_checks`: a bootstrapped project; a generated project's own checks.
- `linters`: actionlint, zizmor and check-jsonschema as the tests run them.
- `fleet`, `git_daemon`: fleets of generated repositories for `starter-fleet`, served over git://.
- `markdownlint`: markdownlint-cli2 from npm, installed once per machine at a pinned version.
- `browser`: headless Chromium driven over the DevTools protocol (pages, clicks, requests).
"""
