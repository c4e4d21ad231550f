from marketplace.cli import main

main()
