{{ xs[::-1] }} {{ 'abcdef'[1:5:2] }} {{ xs | batch(2) | list }} {{ xs | map('string') | list }}
