
alexnet	compass-s"latency*mip:_
features.0#0
features.3#0
features.3#1
features.3#2

features.0

features.3‡  è:2
features.6#0
features.6#1

features.6†” p:N
features.6#2
features.6#3
features.6#4
features.6#5

features.6‡– p:N
features.8#0
features.8#1
features.8#2
features.8#3

features.8¿¶ p:T
features.10#0
features.10#1
features.10#2
features.10#3
features.10ÄÕ ê:F
classifier.1#0
classifier.1#1
classifier.1#2
classifier.1#3Ä% ê:F
classifier.1#4
classifier.1#5
classifier.1#6
classifier.1#7Ä% ê:H
classifier.1#8
classifier.1#9
classifier.1#10
classifier.1#11Ä% ê:J
classifier.1#12
classifier.1#13
classifier.1#14
classifier.1#15Ä% ê:J
classifier.1#16
classifier.1#17
classifier.1#18
classifier.1#19Ä% ê:J
classifier.1#20
classifier.1#21
classifier.1#22
classifier.1#23Ä% ê:J
classifier.1#24
classifier.1#25
classifier.1#26
classifier.1#27Ä% ê:J
classifier.1#28
classifier.1#29
classifier.1#30
classifier.1#31Ä% ê:J
classifier.1#32
classifier.1#33
classifier.1#34
classifier.1#35Ä% ê:J
classifier.1#36
classifier.1#37
classifier.1#38
classifier.1#39Ä% ê:J
classifier.1#40
classifier.1#41
classifier.1#42
classifier.1#43Ä% ê:J
classifier.1#44
classifier.1#45
classifier.1#46
classifier.1#47Ä% ê:J
classifier.1#48
classifier.1#49
classifier.1#50
classifier.1#51Ä% ê:J
classifier.1#52
classifier.1#53
classifier.1#54
classifier.1#55Ä% ê:J
classifier.1#56
classifier.1#57
classifier.1#58
classifier.1#59Ä% ê:J
classifier.1#60
classifier.1#61
classifier.1#62
classifier.1#63ÄC ê:Ü
classifier.4#0
classifier.4#1
classifier.4#2
classifier.4#3
classifier.4#4
classifier.4#5
classifier.4#6
classifier.4#7Ä Ä:å
classifier.4#8
classifier.4#9
classifier.4#10
classifier.4#11
classifier.4#12
classifier.4#13
classifier.4#14
classifier.4#15Ä Ä:é
classifier.4#16
classifier.4#17
classifier.4#18
classifier.4#19
classifier.4#20
classifier.4#21
classifier.4#22
classifier.4#23Ä Ä:é
classifier.4#24
classifier.4#25
classifier.4#26
classifier.4#27
classifier.4#28
classifier.4#29
classifier.4#30
classifier.4#31Ä Ä:é
classifier.4#32
classifier.4#33
classifier.4#34
classifier.4#35
classifier.4#36
classifier.4#37
classifier.4#38
classifier.4#39Ä Ä:é
classifier.4#40
classifier.4#41
classifier.4#42
classifier.4#43
classifier.4#44
classifier.4#45
classifier.4#46
classifier.4#47Ä Ä:é
classifier.4#48
classifier.4#49
classifier.4#50
classifier.4#51
classifier.4#52
classifier.4#53
classifier.4#54
classifier.4#55Ä Ä:é
classifier.4#56
classifier.4#57
classifier.4#58
classifier.4#59
classifier.4#60
classifier.4#61
classifier.4#62
classifier.4#63Ä. Ä:Ü
classifier.6#0
classifier.6#1
classifier.6#2
classifier.6#3
classifier.6#4
classifier.6#5
classifier.6#6
classifier.6#7Ä Ä:å
classifier.6#8
classifier.6#9
classifier.6#10
classifier.6#11
classifier.6#12
classifier.6#13
classifier.6#14
classifier.6#15Ù ÄB8	VUUïçÍGAÔ˚8t≥@`,y˜ÊKA!`,y˜ÊK∞A)’°ûJ\»B0Ä‚öÇ8†≠¨R
alexnet2	compass-s