
vgg16	compass-s"latency*exact:É
features.0#0
features.2#0
features.5#0
features.7#0
features.7#1
features.10#0
features.10#1
features.10#2
features.10#3

features.0

features.2

features.5

features.7€Œ :T
features.12#0
features.12#1
features.12#2
features.12#3
features.12€€1 :T
features.14#0
features.14#1
features.14#2
features.14#3
features.14€Ð :
features.17#0
features.17#1
features.17#2
features.17#3
features.17#4
features.17#5
features.17#6
features.17#7
features.17€° :
features.19#0
features.19#1
features.19#2
features.19#3
features.19#4
features.19#5
features.19#6
features.19#7€À :
features.21#0
features.21#1
features.21#2
features.21#3
features.21#4
features.21#5
features.21#6
features.21#7€¨ :
features.24#0
features.24#1
features.24#2
features.24#3
features.24#4
features.24#5
features.24#6
features.24#7€ :
features.26#0
features.26#1
features.26#2
features.26#3
features.26#4
features.26#5
features.26#6
features.26#7€ :
features.28#0
features.28#1
features.28#2
features.28#3
features.28#4
features.28#5
features.28#6
features.28#7€ê :
classifier.0#0 b b:
classifier.0#1 b b:
classifier.0#2 b b:
classifier.0#3 b b:
classifier.0#4 b b:
classifier.0#5 b b:
classifier.0#6 b b:
classifier.0#7 b b:
classifier.0#8 b b:
classifier.0#9 b b:
classifier.0#10 b b:
classifier.0#11 b b:
classifier.0#12 b b:
classifier.0#13 b b:
classifier.0#14 b b:
classifier.0#15 b b:
classifier.0#16 b b:
classifier.0#17 b b:
classifier.0#18 b b:
classifier.0#19 b b:
classifier.0#20 b b:
classifier.0#21 b b:
classifier.0#22 b b:
classifier.0#23 b b:
classifier.0#24 b b:
classifier.0#25 b b:
classifier.0#26 b b:
classifier.0#27 b b:
classifier.0#28 b b:
classifier.0#29 b b:
classifier.0#30 b b:
classifier.0#31 b b:
classifier.0#32 b b:
classifier.0#33 b b:
classifier.0#34 b b:
classifier.0#35 b b:
classifier.0#36 b b:
classifier.0#37 b b:
classifier.0#38 b b:
classifier.0#39 b b:
classifier.0#40 b b:
classifier.0#41 b b:
classifier.0#42 b b:
classifier.0#43 b b:
classifier.0#44 b b:
classifier.0#45 b b:
classifier.0#46 b b:
classifier.0#47 b b:
classifier.0#48 b b:
classifier.0#49 b b:
classifier.0#50 b b:
classifier.0#51 b b:
classifier.0#52 b b:
classifier.0#53 b b:
classifier.0#54 b b:
classifier.0#55 b b:
classifier.0#56 b b:
classifier.0#57 b b:
classifier.0#58 b b:
classifier.0#59 b b:
classifier.0#60 b b:
classifier.0#61 b b:
classifier.0#62 b b:
classifier.0#63à b:†
classifier.3#0
classifier.3#1
classifier.3#2
classifier.3#3
classifier.3#4
classifier.3#5
classifier.3#6
classifier.3#7€ €:Œ
classifier.3#8
classifier.3#9
classifier.3#10
classifier.3#11
classifier.3#12
classifier.3#13
classifier.3#14
classifier.3#15€ €:Ž
classifier.3#16
classifier.3#17
classifier.3#18
classifier.3#19
classifier.3#20
classifier.3#21
classifier.3#22
classifier.3#23€ €:Ž
classifier.3#24
classifier.3#25
classifier.3#26
classifier.3#27
classifier.3#28
classifier.3#29
classifier.3#30
classifier.3#31€ €:Ž
classifier.3#32
classifier.3#33
classifier.3#34
classifier.3#35
classifier.3#36
classifier.3#37
classifier.3#38
classifier.3#39€ €:Ž
classifier.3#40
classifier.3#41
classifier.3#42
classifier.3#43
classifier.3#44
classifier.3#45
classifier.3#46
classifier.3#47€ €:Ž
classifier.3#48
classifier.3#49
classifier.3#50
classifier.3#51
classifier.3#52
classifier.3#53
classifier.3#54
classifier.3#55€ €:Ž
classifier.3#56
classifier.3#57
classifier.3#58
classifier.3#59
classifier.3#60
classifier.3#61
classifier.3#62
classifier.3#63€. €:‡
classifier.6#0
classifier.6#1
classifier.6#2
classifier.6#3
classifier.6#4
classifier.6#5
classifier.6#6
classifier.6#15ô €:‹
classifier.6#7
classifier.6#8
classifier.6#9
classifier.6#10
classifier.6#11
classifier.6#12
classifier.6#13
classifier.6#14€ €B8	þÿÿÇˆBsA—˜4Âˆ@¾õ¨òB!¾õ¨òÜA)Ý²ãk!C0€ª•“8 Í>