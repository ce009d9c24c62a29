from dipctl.cli import main

main()
