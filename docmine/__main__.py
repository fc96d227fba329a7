from docmine.cli import main

main()
