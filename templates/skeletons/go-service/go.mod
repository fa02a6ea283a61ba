module github.com/${{ values.repository }}

go 1.19
