"""The publishing wing: one page model (:mod:`.model`), made from the articles (:mod:`.edition`), saved once
(:mod:`.store`), and two writers around it that never read each other's output: the site's Markdown
(:mod:`.site`) and the books' pandoc Markdown (:mod:`.book`, compiled by :mod:`.pandoc`)."""
