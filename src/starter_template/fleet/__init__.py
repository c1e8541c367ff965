"""`starter-fleet`: the fleet of repositories made from the starter template.

Per repository: the template release it is on and how far behind the newest it is (from
`.copier-answers.yml` and the template's tags), how far its implementation.md plan has come
(read by `starter_template.plan_check`, the plan check's own parser), the date of its last
commit, and what is wrong. Standard library only; git does the reading.

- `answers_yaml`: a reader for the YAML Copier writes into answers files.
- `releases`: release tags in version order, Copier's `_commit`, template locations.
- `sources`: reading a local folder or a git URL without writing to it or checking it out.
- `survey`: one repository's report, and the fleet's, read by a pool of threads.
- `render`, `html_page`: the terminal table, JSON, Markdown and the HTML page.
- `cli`: the command line.
"""
