from lockscan.cli import main

main()
