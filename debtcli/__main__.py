from debtcli.cli import main

main()
