"""``python -m campaign``: the command line (campaign.cli)."""

from campaign.cli import main

raise SystemExit(main())
