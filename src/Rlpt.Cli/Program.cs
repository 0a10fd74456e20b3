System.Console.WriteLine("rlpt");
