from modelatlas.cli import main

main()
