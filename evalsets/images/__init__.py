"""An independent, labelled image set for the attachment analysis, and the command that scores it.

Written from the contract (shared spec §2) and issue 10 only, without reading the product's checks,
thresholds or its own demo generator, so that a score here says how the analysis holds on images it
was not tuned on. `python -m evalsets.images.build` draws the images into a cache directory;
`python -m evalsets.images.score --part tune` scores the product on them.
"""
